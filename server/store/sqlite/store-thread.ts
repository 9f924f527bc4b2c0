import {Worker} from 'node:worker_threads'
import type {Logger} from '../../log/logger.js'
import type {SqliteConnection} from './connection.js'
import type {SqliteConnectionOptions} from './node-connection.js'

/** The calls of a connection that write, which the store thread answers (and `close`, which ends it). */
export type Write = 'insertSession' | 'recordEvent' | 'markEventHandled' | 'takeCount' | 'releaseCount' | 'claimAttempt' | 'ping' | 'close'

/** A write's arguments and result, as the thread's connection takes and gives them. */
export type WriteArgs<W extends Write> = Parameters<SqliteConnection[W]>
export type WriteResult<W extends Write> = Awaited<ReturnType<SqliteConnection[W]>>

/** A call of a write, sent to the store thread. */
export type WriteCall<W extends Write = Write> = {[K in W]: {id: number; method: K; args: WriteArgs<K>}}[W]

/** The store thread's answer to a call: its result, or the error it threw. */
export interface WriteReply {
  id: number
  result?: unknown
  error?: {name: string; message: string; code?: string | undefined}
}

/** What the thread is started with. */
export interface ThreadData {
  path: string
  options: SqliteConnectionOptions
}

/**
 * The messages queued during one turn of a thread's event loop, sent together as one: under load a
 * message per call costs each side a wake-up and a structured clone per delivery.
 */
export function messageBatcher<T>(send: (batch: T[]) => void): (message: T) => void {
  let queued: T[] = []
  const flush = () => {
    const batch = queued
    queued = []
    send(batch)
  }
  return (message) => {
    if (queued.push(message) === 1) setImmediate(flush)
  }
}

/**
 * A store thread's V8 limits. It keeps little alive (prepared statements, the calls in flight), and
 * V8's default young generation, sized for the main thread, would let each thread hold tens of MB
 * of short-lived garbage under load: 1 MB costs no measurable CPU per call and keeps about 5 MB off
 * the server's peak RSS. The old generation keeps V8's default.
 */
const THREAD_LIMITS = {maxYoungGenerationSizeMb: 1}

/**
 * A store thread: the compiled JavaScript beside this module, or when this module is TypeScript run
 * by tsx (tests, `npm start` from the sources) the TypeScript file, loaded after registering tsx in
 * the thread (Node 20 does not pass the loader of `--import tsx` on to worker threads).
 */
function startWorker(workerData: ThreadData): Worker {
  const options = {workerData, resourceLimits: THREAD_LIMITS}
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./thread.js', import.meta.url), options)
  const tsx = import.meta.resolve('tsx/esm/api')
  const entry = new URL('./thread.ts', import.meta.url).href
  const code = `import(${JSON.stringify(tsx)}).then(({register}) => (register(), import(${JSON.stringify(entry)})))`
  return new Worker(code, {...options, eval: true})
}

export function notOpen(): Error {
  return new TypeError('The database connection is not open')
}

/** How soon a store thread that stopped is started again, in ms; the pause doubles while it keeps stopping. */
const RESTART_DELAY_MS = 100
const MAX_RESTART_DELAY_MS = 60_000
/** A thread that ran this long before it stopped is started again after the first pause, in ms. */
const STEADY_MS = 60_000

type Waiter = {resolve(value: unknown): void; reject(error: Error): void; timer?: NodeJS.Timeout}

/** A thread and what is sent to it. */
interface Running {
  worker: Worker
  send(call: WriteCall): void
  startedAt: number
}

/**
 * The store thread on `data.path`: `call` sends it a write and answers its result, failing after
 * `timeoutMs` at most; `close` commits what is queued, closes the connection and ends the thread. A
 * thread that stops (it crashed, or ran out of memory) is started again after a pause: the calls it
 * was answering fail, as do the calls made during the pause, and the next ones go to the new thread.
 */
export class StoreThread {
  readonly #pending = new Map<number, Waiter>()
  #nextId = 0
  #closed = false
  /** The running thread; null during the pause after a thread stopped. */
  #current: Running | null = null
  #stopped: Error | null = null
  #restartDelayMs = RESTART_DELAY_MS

  constructor(
    private readonly data: ThreadData,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.#start()
  }

  #settle(id: number): Waiter | undefined {
    const waiter = this.#pending.get(id)
    if (!waiter) return undefined
    this.#pending.delete(id)
    clearTimeout(waiter.timer)
    if (this.#pending.size === 0) this.#current?.worker.unref()
    return waiter
  }

  #start(): void {
    // Closed during the pause: no thread is started again.
    if (this.#closed) return
    const worker = startWorker(this.data)
    // The thread keeps the process alive only while a call waits for it.
    worker.unref()
    const running: Running = {worker, send: messageBatcher<WriteCall>((calls) => worker.postMessage(calls)), startedAt: Date.now()}
    this.#current = running
    this.#stopped = null
    worker.on('message', (replies: WriteReply[]) => {
      for (const {id, result, error} of replies) {
        const waiter = this.#settle(id)
        if (!waiter) continue // it timed out; a write that finished late is a redelivery's duplicate
        if (!error) waiter.resolve(result)
        else waiter.reject(Object.assign(new Error(error.message), {name: error.name, code: error.code}))
      }
    })
    let crash: Error | null = null
    worker.on('error', (error) => (crash = error))
    worker.on('exit', (exitCode) => this.#stoppedWith(running, crash ? `: ${crash.message}` : ` (exit code ${exitCode})`))
  }

  #stoppedWith(running: Running, why: string): void {
    this.#current = null
    const stopped = this.#closed ? notOpen() : new Error(`The store thread stopped${why}`)
    this.#stopped = stopped
    for (const id of [...this.#pending.keys()]) this.#settle(id)!.reject(stopped)
    if (this.#closed) return
    if (Date.now() - running.startedAt > STEADY_MS) this.#restartDelayMs = RESTART_DELAY_MS
    this.logger.error('SQLite store thread stopped, starting it again', {database: this.data.path, error: stopped, retryInMs: this.#restartDelayMs})
    setTimeout(() => this.#start(), this.#restartDelayMs).unref()
    this.#restartDelayMs = Math.min(this.#restartDelayMs * 2, MAX_RESTART_DELAY_MS)
  }

  /** Sends a write to the thread; `bound` is how long its answer may take (null: no bound). */
  call<W extends Write>(method: W, args: WriteArgs<W>, bound: number | null = this.timeoutMs): Promise<WriteResult<W>> {
    if (this.#closed) return Promise.reject(notOpen())
    const thread = this.#current
    if (!thread) return Promise.reject(this.#stopped!)
    return new Promise<WriteResult<W>>((resolve, reject) => {
      const id = this.#nextId++
      // The reply crossed the thread's boundary as a structured clone: its type is the method's result.
      const waiter: Waiter = {resolve: resolve as (value: unknown) => void, reject}
      if (bound !== null) {
        waiter.timer = setTimeout(() => {
          this.#settle(id)?.reject(Object.assign(new Error(`The database did not answer ${method} within ${bound} ms`), {code: 'store_timeout'}))
        }, bound).unref()
      }
      if (this.#pending.size === 0) thread.worker.ref()
      this.#pending.set(id, waiter)
      thread.send({id, method, args} as WriteCall)
    })
  }

  /** Commits the writes still queued, closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return
    const thread = this.#current
    const done = thread ? this.call('close', [], null) : Promise.resolve()
    this.#closed = true
    await done.catch(() => {})
    await thread?.worker.terminate()
  }
}
