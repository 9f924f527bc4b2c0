/**
 * The SQLite store: one file, SQLite's own durability (WAL, `synchronous=FULL`), nothing in front of
 * it. A webhook's event is committed before the webhook is answered; the events arriving together
 * share one commit (see `docs/decisions/0001-sqlite-durability.md`).
 */
import {silentLogger, type Logger} from '../../log/logger.js'
import type {VerificationStore} from '../store.js'
import {openSqliteConnection, type SqliteConnectionOptions} from './node-connection.js'
import {notOpen, StoreThread} from './store-thread.js'

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions extends Omit<SqliteConnectionOptions, 'now'> {
  /**
   * The most a write waits (for another connection's lock, a slow disk, the writes queued before it)
   * before it fails, in ms (default 5000): a webhook then answers 500 and Stripe delivers it again.
   */
  timeoutMs?: number
  /** Where the store says what went wrong with its thread (default: nowhere). */
  logger?: Logger
  /** The clock, for tests of the in-memory store (a thread keeps its own). */
  now?: () => number
}

/**
 * Opens the SQLite store at `path`, creating the file and its folder if needed, so that no wait for
 * the disk or a lock blocks the calling thread's event loop:
 * - writes run on a thread of their own, which commits the events arriving together in one
 *   transaction and one sync to disk, answers each once its transaction committed, and fails a call
 *   after `timeoutMs` at most;
 * - reads run at once on a connection of the calling thread: in WAL mode a reader never waits for a
 *   writer, and in the rare moment it would (another program holding the whole file, say) the read
 *   fails at once with `SQLITE_BUSY` and the route answers 503.
 *
 * Opening checks the database on the calling thread first, so that a path that is not a file, a
 * folder that cannot be written, or a schema this server cannot run on throws here. `':memory:'`
 * opens a single connection: memory has no disk or other connection to wait for, and a thread would
 * hold a database of its own.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): VerificationStore {
  const {timeoutMs = 5000, logger = silentLogger, ...connectionOptions} = options
  if (path === ':memory:' || path === '') return openSqliteConnection(':memory:', connectionOptions)
  const reads = openSqliteConnection(path, {...connectionOptions, busyTimeoutMs: 0})
  const {now: _now, ...threadOptions} = connectionOptions
  const writes = new StoreThread({path, options: threadOptions}, timeoutMs, logger)
  let open = true
  const read = <T>(answer: () => T): T => {
    if (!open) throw notOpen()
    return answer()
  }
  return {
    latestSession: (userRef) => read(() => reads.latestSession(userRef)),
    verifiedSession: (userRef) => read(() => reads.verifiedSession(userRef)),
    getSession: (id) => read(() => reads.getSession(id)),
    countSessions: (userRef) => read(() => reads.countSessions(userRef)),
    countSubmittedSessions: (from, to) => read(() => reads.countSubmittedSessions(from, to)),
    insertSession: (session) => writes.call('insertSession', [session]),
    recordEvent: (event) => writes.call('recordEvent', [event]),
    markEventHandled: (eventId) => writes.call('markEventHandled', [eventId]),
    takeCount: (key, windowEnd, max, at) => writes.call('takeCount', [key, windowEnd, max, at]),
    releaseCount: (key, windowEnd) => writes.call('releaseCount', [key, windowEnd]),
    claimAttempt: (userRef, seenSessionId) => writes.call('claimAttempt', [userRef, seenSessionId]),
    // The write thread answers in its turn: a thread stopped, or stuck behind a lock, fails the check.
    async ping() {
      read(() => reads.ping())
      await writes.call('ping', [])
    },
    async close() {
      // Calls made from now on are refused; writes made before are committed.
      if (!open) return
      open = false
      // The reads' connection first: the last connection to close checkpoints the WAL into the
      // database and removes it, which two connections closing at once can each leave to the other.
      reads.close()
      await writes.close()
    },
  }
}
