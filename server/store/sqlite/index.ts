import {Worker} from 'node:worker_threads'
import {silentLogger, type Logger} from '../../log/logger.js'
import {openInbox, SYNCHRONOUS_WRITES, type Inbox, type InboxPosition} from './inbox.js'
import {openSqliteStoreSync, type InboxOutcome, type SqliteStoreOptions, type SqliteStoreSync} from './connection.js'
import type {VerificationStore} from '../store.js'
import type {RecordOutcome, VerificationEventRecord} from '../../rules/records.js'

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
export interface SqliteOpenOptions extends Omit<SqliteStoreOptions, 'now' | 'recordsInbox'> {
  /**
   * The most a call waits (for another connection's lock, a slow disk, the calls queued before it)
   * before it fails, in ms (default 5000): a webhook then answers 500 and Stripe delivers it again.
   */
  timeoutMs?: number
  /**
   * Whether webhooks' events go through the store's inbox, answered once on disk and recorded in
   * batches (default true); `{fileBytes}` sets the size of each of its two files (4 MiB).
   */
  inbox?: boolean | {fileBytes: number}
  /**
   * Where the store says what it could not do (default: nowhere): opened without the inbox it was
   * asked for, or a write of the inbox failed; in both cases each event is recorded before its answer.
   */
  logger?: Logger
}

/**
 * The methods that only read: they run at once on a connection of the calling thread, which WAL
 * never makes wait for a writer. Every other method, including any the store gains later, is a write.
 */
const READ_METHODS: ReadonlySet<string> = new Set([
  'latestSession',
  'verifiedSession',
  'getSession',
  'countSessions',
  'countSubmittedSessions',
  'pendingEvents',
])

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
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./thread.js', import.meta.url), options)
  const tsx = import.meta.resolve('tsx/esm/api')
  const entry = new URL('./thread.ts', import.meta.url).href
  const code = `import(${JSON.stringify(tsx)}).then(({register}) => (register(), import(${JSON.stringify(entry)})))`
  return new Worker(code, {...options, eval: true})
}

function notOpen(): Error {
  return new TypeError('The database connection is not open')
}

/** How soon a store thread that stopped is started again, in ms; the pause doubles while it keeps stopping. */
const RESTART_DELAY_MS = 100
const MAX_RESTART_DELAY_MS = 60_000
/** A thread that ran this long before it stopped is started again after the first pause, in ms. */
const STEADY_MS = 60_000

/**
 * Starts a store thread on `path`; `call` forwards any store method by name, `close` closes the store
 * and ends the thread. A thread that stops (it crashed, or ran out of memory) is started again after
 * a pause: the calls it was answering fail, as do the calls made during the pause, and the next ones
 * go to the new thread.
 */
function startStoreThread(path: string, options: SqliteStoreOptions, timeoutMs: number, logger: Logger) {
  type Waiter = {resolve(value: unknown): void; reject(error: Error): void; timer?: NodeJS.Timeout}
  const pending = new Map<number, Waiter>()
  let nextId = 0
  let closed = false
  /** The running thread and its sender; null during the pause after a thread stopped. */
  let current: {worker: Worker; send(call: WriterCall): void; startedAt: number} | null = null
  let stopped: Error | null = null
  let restartDelayMs = RESTART_DELAY_MS

  function settle(id: number): Waiter | undefined {
    const waiter = pending.get(id)
    if (!waiter) return undefined
    pending.delete(id)
    clearTimeout(waiter.timer)
    if (pending.size === 0) current?.worker.unref()
    return waiter
  }

  function start(): void {
    // Closed during the pause: no thread is started again.
    if (closed) return
    const worker = startWorker({path, options})
    // The thread keeps the process alive only while a call waits for it.
    worker.unref()
    current = {worker, send: messageBatcher<WriterCall>((calls) => worker.postMessage(calls)), startedAt: Date.now()}
    stopped = null
    worker.on('message', (replies: WriterReply[]) => {
      for (const {id, result, error} of replies) {
        const waiter = settle(id)
        if (!waiter) continue // it timed out; a write that finished late is a redelivery's duplicate
        if (!error) waiter.resolve(result)
        else waiter.reject(Object.assign(new Error(error.message), {name: error.name, code: error.code}))
      }
    })
    let crash: Error | null = null
    worker.on('error', (error) => {
      crash = error
    })
    worker.on('exit', (exitCode) => {
      const ranMs = Date.now() - current!.startedAt
      current = null
      stopped = closed ? notOpen() : new Error(`The store thread stopped${crash ? `: ${crash.message}` : ` (exit code ${exitCode})`}`)
      for (const id of [...pending.keys()]) settle(id)!.reject(stopped)
      if (closed) return
      if (ranMs > STEADY_MS) restartDelayMs = RESTART_DELAY_MS
      logger.error('SQLite store thread stopped, starting it again', {database: path, error: stopped, retryInMs: restartDelayMs})
      setTimeout(start, restartDelayMs).unref()
      restartDelayMs = Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS)
    })
  }
  start()

  function call(method: string, args: unknown[], bound: number | null = timeoutMs): Promise<unknown> {
    if (closed) return Promise.reject(notOpen())
    const thread = current
    if (!thread) return Promise.reject(stopped!)
    return new Promise((resolve, reject) => {
      const id = nextId++
      const waiter: Waiter = {resolve, reject}
      if (bound !== null) {
        waiter.timer = setTimeout(() => {
          settle(id)?.reject(Object.assign(new Error(`The database did not answer ${method} within ${bound} ms`), {code: 'store_timeout'}))
        }, bound).unref()
      }
      if (pending.size === 0) thread.worker.ref()
      pending.set(id, waiter)
      thread.send({id, method, args})
    })
  }

  async function close(): Promise<void> {
    if (closed) return
    // The writes still queued are committed before the thread closes the store.
    const thread = current
    const done = thread ? call('close', [], null) : Promise.resolve()
    closed = true
    await done.catch(() => {})
    await thread?.worker.terminate()
  }
  return {call, close}
}

/**
 * How long accepted events wait to be recorded together, in ms: about a hundred under load, 5 µs of
 * the server's thread an event; the answers waiting meanwhile are held up by under a ms (25 ms gave
 * the same rate here, with a higher p99).
 */
const RECORD_DELAY_MS = 10
/** How soon recording is tried again after another connection held the write lock, in ms. */
const RECORD_RETRY_MS = 50
/** How often, at most, SQLite is synced for the inbox when no file waits for it (which also checkpoints the WAL), in ms. */
const SYNC_INTERVAL_MS = 1000

/** The methods of the synchronous store that only serve its inbox: not part of the store a server gets. */
const INBOX_METHODS: ReadonlySet<string> = new Set(['inboxPosition', 'recordInbox', 'syncInbox'])

interface Accepted {
  event: VerificationEventRecord
  end: InboxPosition
  resolve(outcome: RecordOutcome): void
  reject(error: unknown): void
}

/**
 * Records the events of `inbox` on `db`, a connection of this thread that commits without syncing and
 * waits for no lock: first, at once, what the inbox holds past what SQLite recorded (the events of a
 * crash or a power cut); then, every `RECORD_DELAY_MS`, the events accepted meanwhile, in one
 * transaction. Every so often, and whenever a file of the inbox waits for it, `syncDb` commits with
 * an fsync (on the store thread), after which the inbox may write over what SQLite now holds durably.
 * Once a write or sync of the inbox fails, events go to `recordEvent` instead (recorded and synced
 * before their answer).
 */
function startInboxRecorder(
  inbox: Inbox,
  db: SqliteStoreSync,
  syncDb: () => Promise<unknown>,
  recordEvent: (event: VerificationEventRecord) => Promise<RecordOutcome>,
  onFailure: (error: Error) => void,
) {
  const from = db.inboxPosition() ?? {generation: 0, offset: 0}
  const backlog = inbox.readFrom(from)
  const start = inbox.restartAfter(backlog.at(-1)?.end ?? from)
  db.recordInbox(
    backlog.map((entry) => JSON.parse(entry.payload) as VerificationEventRecord),
    start,
    true,
  )

  let accepted: Accepted[] = []
  let timer: NodeJS.Timeout | undefined
  let recordedThrough = start
  let releasedGeneration = start.generation
  let syncing = false
  let syncedAt = Date.now()
  let closed = false
  let failureTold = false

  function syncSoon(): void {
    if (syncing || closed) return
    const waitedFor = recordedThrough.generation > releasedGeneration
    if (!waitedFor && Date.now() - syncedAt < SYNC_INTERVAL_MS) return
    syncing = true
    const through = recordedThrough
    syncDb().then(
      () => {
        syncing = false
        syncedAt = Date.now()
        releasedGeneration = through.generation
        inbox.release(through)
        if (recordedThrough.generation > releasedGeneration) syncSoon()
      },
      () => {
        syncing = false
        // A file of the inbox may be waiting for this sync: try again.
        setTimeout(syncSoon, RECORD_RETRY_MS).unref()
      },
    )
  }

  /** Records the accepted events now; false when another connection holds the write lock (tried again soon). */
  function recordNow(): boolean {
    clearTimeout(timer)
    timer = undefined
    if (accepted.length === 0 || closed) return accepted.length === 0
    const batch = accepted
    accepted = []
    let outcomes: InboxOutcome[]
    try {
      outcomes = db.recordInbox(
        batch.map((item) => item.event),
        batch.at(-1)!.end,
      )
    } catch {
      // A lock held elsewhere, a disk error: the events stay in the inbox and in memory.
      accepted = batch.concat(accepted)
      timer = setTimeout(recordNow, RECORD_RETRY_MS)
      return false
    }
    recordedThrough = batch.at(-1)!.end
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!
      if (outcome.kind === 'failed') item.reject(outcome.error)
      else item.resolve(outcome)
    })
    syncSoon()
    return true
  }

  return {
    accept(event: VerificationEventRecord): Promise<{recorded: Promise<RecordOutcome>}> {
      // A disk error broke the inbox: each event is recorded (and synced) before its answer, as without one.
      const failure = inbox.failure()
      if (failure) {
        if (!failureTold) onFailure(failure)
        failureTold = true
        return recordEvent(event).then((outcome) => ({recorded: Promise.resolve(outcome)}))
      }
      return inbox.append(JSON.stringify(event)).then((end) => {
        const recorded = new Promise<RecordOutcome>((resolve, reject) => accepted.push({event, end, resolve, reject}))
        timer ??= setTimeout(recordNow, RECORD_DELAY_MS)
        return {recorded}
      })
    },
    /** Before a read: what was accepted is recorded, so that a read follows every answered webhook. */
    catchUp(): void {
      if (accepted.length > 0) recordNow()
    },
    /** Records everything accepted and syncs it; true when nothing is left in the inbox. */
    async close(timeoutMs: number): Promise<boolean> {
      const until = Date.now() + timeoutMs
      for (;;) {
        const recorded = recordNow()
        // Emptied only once SQLite holds everything durably: the inbox is removed then.
        if (recorded && (await syncDb().then(() => true, () => false))) {
          releasedGeneration = recordedThrough.generation
          inbox.release(recordedThrough)
          await inbox.drain()
          if (accepted.length === 0) {
            closed = true
            return true
          }
        }
        if (Date.now() > until) break
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS))
      }
      // What is left stays in the inbox, recorded at the next open.
      closed = true
      clearTimeout(timer)
      return false
    },
  }
}

/**
 * Opens the SQLite store at `path` (see `openSqliteStoreSync` for its schema and durability) so that
 * no database wait blocks the calling thread's event loop:
 * - a webhook's event is appended to the store's inbox (`sqlite-inbox.ts`), and the webhook answered
 *   once it is on disk; the events accepted in the same 10 ms are then recorded together on a
 *   connection of the calling thread, which commits without syncing (the inbox holds them) and waits
 *   for no lock (one held elsewhere leaves them in the inbox a little longer). A read first records
 *   what was accepted, so it follows every webhook answered;
 * - other writes run on a thread of their own, which commits the calls arriving together in one
 *   transaction and one fsync, syncs SQLite for the inbox, and fails a call after `timeoutMs` at most;
 * - reads run at once on the calling thread's connection: in WAL mode a reader never waits for a
 *   writer, and in the rare moment it would (another program holding the whole file, say) the read
 *   fails at once with `SQLITE_BUSY` and the route answers 503.
 *
 * Only one store at a time holds a database's inbox (another process, or a second store in this one,
 * records each event before answering). Opening checks the database on the calling thread first, so
 * a file or folder that cannot be written, or a schema newer than this server, throws here, and
 * records what the inbox holds from before (a crash, a power cut). `':memory:'` opens the synchronous
 * store: memory has no disk or other connection to wait for, and a thread would hold a database of
 * its own.
 */
export function openSqliteStore(path: string, options: SqliteOpenOptions = {}): VerificationStore {
  const {timeoutMs = 5000, inbox: inboxOption = true, logger = silentLogger, ...storeOptions} = options
  if (path === ':memory:' || path === '') return openSqliteStoreSync(path, storeOptions)
  const db = openSqliteStoreSync(path, {...storeOptions, busyTimeoutMs: 0, recordsInbox: true})
  let inbox: Inbox | null = null
  let recorder: ReturnType<typeof startInboxRecorder> | null = null
  const writer = startStoreThread(path, storeOptions, timeoutMs, logger)
  try {
    if (inboxOption !== false) inbox = openInbox(path, {timeoutMs, ...(inboxOption === true ? {} : inboxOption)})
    if (inbox) {
      recorder = startInboxRecorder(
        inbox,
        db,
        () => writer.call('syncInbox', []),
        (event) => writer.call('recordEvent', [event]) as Promise<RecordOutcome>,
        (error) =>
          logger.error('SQLite store: a write of its inbox failed, each webhook event is now recorded before its answer', {
            database: path,
            error,
          }),
      )
    } else if (inboxOption !== false) {
      logger.warn('SQLite store without its inbox: each webhook event is recorded before its answer, more slowly', {
        database: path,
        reason: SYNCHRONOUS_WRITES ? 'another process, or another store of this one, holds the inbox' : 'this system has no synchronous writes',
      })
    }
  } catch (error) {
    inbox?.close(false)
    db.close()
    void writer.close()
    throw error
  }
  const methods = db as unknown as Record<string, (...args: unknown[]) => unknown>
  const store: Record<string, unknown> = {}
  let open = true
  for (const name of Object.keys(methods)) {
    if (name === 'close' || INBOX_METHODS.has(name)) continue
    if (!READ_METHODS.has(name)) {
      store[name] = (...args: unknown[]) => (open ? writer.call(name, args) : Promise.reject(notOpen()))
      continue
    }
    store[name] = async (...args: unknown[]) => {
      if (!open) throw notOpen()
      recorder?.catchUp()
      return methods[name]!(...args)
    }
  }
  if (recorder) {
    store.acceptEvent = (event: VerificationEventRecord) => (open ? recorder.accept(event) : Promise.reject(notOpen()))
  }
  store.close = async () => {
    // Calls made from now on are refused; those made before are answered (queued writes committed).
    if (!open) return
    open = false
    const emptied = recorder ? await recorder.close(timeoutMs) : false
    inbox?.close(emptied)
    // The reads' connection first: the last connection to close checkpoints the WAL into the
    // database and removes it, which two connections closing at once can each leave to the other.
    db.close()
    await writer.close()
  }
  return store as unknown as VerificationStore
}
