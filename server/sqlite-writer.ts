import {Worker} from 'node:worker_threads'
import {openSqliteStoreSync, type SqliteStoreOptions} from './sqlite-store.js'
import type {VerificationStore} from './verification-store.js'

/** A call of a store method, sent to a store thread. */
export interface WriterCall {
  id: number
  method: string
  args: unknown[]
}

/** A store thread's answer to a call: its result, or the error it threw. */
export interface WriterReply {
  id: number
  result?: unknown
  error?: {name: string; message: string; code?: string | undefined}
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

/** Options of `openSqliteStore`. */
export interface SqliteOpenOptions extends Omit<SqliteStoreOptions, 'now'> {
  /**
   * The most a call waits (for another connection's lock, a slow disk, the calls queued before it)
   * before it fails, in ms (default 5000): a webhook then answers 500 and Stripe delivers it again.
   */
  timeoutMs?: number
}

/**
 * The methods that only read: they run at once on a connection of the calling thread, which WAL
 * never makes wait for a writer. Every other method, including any the store gains later, is a write.
 */
const READ_METHODS: ReadonlySet<string> = new Set(['latestSession', 'verifiedSession', 'getSession', 'countSessions', 'countSubmittedSessions'])

/**
 * A store thread's V8 limits. It keeps little alive (prepared statements, the calls in flight), and
 * V8's default young generation, sized for the main thread, would let each thread hold tens of MB
 * of short-lived garbage under load: a 1 MB one cost no measurable CPU per delivery here and kept
 * about 5 MB per thread off the server's peak RSS. The old generation keeps V8's default: a thread
 * past its limit would end, failing every call after it.
 */
const THREAD_LIMITS = {maxYoungGenerationSizeMb: 1}

/**
 * A store thread: the compiled JavaScript beside this module, or when this module is TypeScript run
 * by tsx (tests, `npm start` from the sources) the TypeScript file, loaded after registering tsx in
 * the thread (Node 20 does not pass the loader of `--import tsx` on to worker threads).
 */
function startWorker(workerData: unknown): Worker {
  const options = {workerData, resourceLimits: THREAD_LIMITS}
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-writer-thread.js', import.meta.url), options)
  const tsx = import.meta.resolve('tsx/esm/api')
  const entry = new URL('./sqlite-writer-thread.ts', import.meta.url).href
  const code = `import(${JSON.stringify(tsx)}).then(({register}) => (register(), import(${JSON.stringify(entry)})))`
  return new Worker(code, {...options, eval: true})
}

function notOpen(): Error {
  return new TypeError('The database connection is not open')
}

/** Starts a store thread on `path`; `call` forwards any store method by name, `close` closes the store and ends the thread. */
function startStoreThread(path: string, options: SqliteStoreOptions, timeoutMs: number) {
  const worker = startWorker({path, options})
  // The thread keeps the process alive only while a call waits for it.
  worker.unref()
  const pending = new Map<number, {resolve(value: unknown): void; reject(error: Error): void; timer?: NodeJS.Timeout}>()
  let nextId = 0
  let failure: Error | null = null
  let closed = false

  function settle(id: number): ReturnType<typeof pending.get> {
    const waiter = pending.get(id)
    if (!waiter) return undefined
    pending.delete(id)
    clearTimeout(waiter.timer)
    if (pending.size === 0) worker.unref()
    return waiter
  }
  worker.on('message', (replies: WriterReply[]) => {
    for (const {id, result, error} of replies) {
      const waiter = settle(id)
      if (!waiter) continue // it timed out; a write that finished late is a redelivery's duplicate
      if (!error) waiter.resolve(result)
      else waiter.reject(Object.assign(new Error(error.message), {name: error.name, code: error.code}))
    }
  })
  const failAll = (error: Error) => {
    failure = error
    for (const id of [...pending.keys()]) settle(id)!.reject(error)
  }
  worker.on('error', failAll)
  worker.on('exit', () => failAll(notOpen()))
  const send = messageBatcher<WriterCall>((calls) => worker.postMessage(calls))

  function call(method: string, args: unknown[], bound: number | null = timeoutMs): Promise<unknown> {
    if (closed || failure) return Promise.reject(failure ?? notOpen())
    return new Promise((resolve, reject) => {
      const id = nextId++
      const waiter: {resolve(value: unknown): void; reject(error: Error): void; timer?: NodeJS.Timeout} = {resolve, reject}
      if (bound !== null) {
        waiter.timer = setTimeout(() => {
          settle(id)?.reject(Object.assign(new Error(`The database did not answer ${method} within ${bound} ms`), {code: 'store_timeout'}))
        }, bound).unref()
      }
      if (pending.size === 0) worker.ref()
      pending.set(id, waiter)
      send({id, method, args})
    })
  }

  async function close(): Promise<void> {
    if (closed) return
    // The writes still queued are committed before the thread closes the store.
    const done = call('close', [], null)
    closed = true
    await done.catch(() => {})
    await worker.terminate()
  }
  return {call, close}
}

/**
 * Opens the SQLite store at `path` (see `openSqliteStoreSync` for its schema and durability) so that
 * no database wait blocks the calling thread's event loop:
 * - writes run on a thread of its own, which commits the events arriving together in one transaction
 *   and one fsync, and fails a call after `timeoutMs` at most;
 * - reads run at once on a connection of the calling thread, which waits for no lock: in WAL mode a
 *   reader never waits for a writer, and in the rare moment it would (another program holding the
 *   whole file, say) the read fails at once with `SQLITE_BUSY` and the route answers 503. A read
 *   costs a few microseconds there, less than a message to a thread and back, and spares a second
 *   thread's 11 MB.
 *
 * Opening checks the database on the calling thread first, so a file or folder that cannot be
 * written, or a schema newer than this server, throws here. `':memory:'` opens the synchronous
 * store: memory has no disk or other connection to wait for, and a thread would hold a database of
 * its own.
 */
export function openSqliteStore(path: string, options: SqliteOpenOptions = {}): VerificationStore {
  const {timeoutMs = 5000, ...storeOptions} = options
  if (path === ':memory:' || path === '') return openSqliteStoreSync(path, storeOptions)
  const reads = openSqliteStoreSync(path, {...storeOptions, busyTimeoutMs: 0}) as unknown as Record<string, (...args: unknown[]) => unknown>
  const writer = startStoreThread(path, storeOptions, timeoutMs)
  const store: Record<string, unknown> = {}
  let open = true
  for (const name of Object.keys(reads)) {
    if (name === 'close') continue
    if (!READ_METHODS.has(name)) {
      store[name] = (...args: unknown[]) => (open ? writer.call(name, args) : Promise.reject(notOpen()))
      continue
    }
    store[name] = async (...args: unknown[]) => {
      if (!open) throw notOpen()
      return reads[name]!(...args)
    }
  }
  store.close = async () => {
    // Calls made from now on are refused; those made before are answered (queued writes committed).
    open = false
    // The reads' connection first: the last connection to close checkpoints the WAL into the
    // database and removes it, which two connections closing at once can each leave to the other.
    await reads.close!()
    await writer.close()
  }
  return store as unknown as VerificationStore
}
