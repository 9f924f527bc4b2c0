/**
 * One connection to the SQLite store's database, every call answered on the calling thread: the
 * store thread's connection (`thread.ts`) and the server's reads (`index.ts`) are each one of these.
 */
import {mkdirSync, statSync} from 'node:fs'
import {dirname} from 'node:path'
import Database from 'better-sqlite3'
import type {NewVerificationSession, RecordOutcome, VerificationEventRecord, VerificationRecord} from '../../rules/records.js'
import {toRecord} from '../session-row.js'
import {EVENT_RETENTION_MS} from '../store.js'
import {migrate} from './migrate.js'
import {eventRecorder} from './record-events.js'
import {prepareStatements} from './statements.js'

/** Options of a connection. */
export interface SqliteConnectionOptions {
  /** How long seen event ids are kept, in ms (at least three days; default four). */
  eventRetentionMs?: number
  /**
   * How long a statement waits for another connection's lock, in ms (default 5000); 0 fails at
   * once with `SQLITE_BUSY`. Opening waits at least 5 s whatever this says.
   */
  busyTimeoutMs?: number
  /** The clock, for tests. */
  now?: () => number
}

/** The store's calls, each answered on the calling thread; `recordEvent` once its batch committed. */
export interface SqliteConnection {
  latestSession(userRef: string): VerificationRecord | null
  verifiedSession(userRef: string): VerificationRecord | null
  getSession(id: string): VerificationRecord | null
  countSessions(userRef: string): number
  countSubmittedSessions(from: number, to: number): number
  insertSession(session: NewVerificationSession): void
  recordEvent(event: VerificationEventRecord): Promise<RecordOutcome>
  markEventHandled(eventId: string): void
  takeCount(key: string, windowEnd: number, max: number, at: number): boolean
  releaseCount(key: string, windowEnd: number): void
  claimAttempt(userRef: string, seenSessionId: string | null): number
  /** Reads from the database: throws when it cannot. */
  ping(): void
  /** Commits the events waiting, then closes the connection. */
  close(): void
}

/** How long opening waits for another connection's lock (migrations, the write check), in ms. */
const OPEN_BUSY_TIMEOUT_MS = 5000
/** Each connection's page cache, in KiB. */
const PAGE_CACHE_KB = 2048

/** The files SQLite keeps for the database at `path`: each must be a file if it is there (a folder or a FIFO would fail late, or hang). */
function checkFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let stats
    try {
      stats = statSync(file)
    } catch {
      continue
    }
    if (!stats.isFile()) throw new Error(`${file} is not a file: SQLite keeps the database there`)
  }
}

/**
 * Opens (creating it and its folder if needed) the database at `path`, or an in-memory one for
 * `':memory:'`, in WAL mode with `synchronous=FULL` (a commit survives a power cut), brings its
 * schema up to date and checks that it can be written.
 */
function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), {recursive: true})
    checkFiles(path)
  }
  const db = new Database(path)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma(`busy_timeout = ${Math.max(Math.floor(busyTimeoutMs), OPEN_BUSY_TIMEOUT_MS)}`)
    // The pages a connection keeps in memory (SQLite's build here defaults to 16 MB): the rows are small
    // and the hot pages few, and the kernel's page cache holds the rest of the file.
    db.pragma(`cache_size = -${PAGE_CACHE_KB}`)
    db.pragma('synchronous = FULL')
    // Migrating writes in any case, so a file or folder that cannot be written (it opens read-only)
    // is found now, not at the first webhook.
    migrate(db, path)
    db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/** Opens a connection to the store at `path` (see `openDatabase`). */
export function openSqliteConnection(path: string, options: SqliteConnectionOptions = {}): SqliteConnection {
  const {eventRetentionMs = EVENT_RETENTION_MS, busyTimeoutMs = 5000, now = Date.now} = options
  const db = openDatabase(path, busyTimeoutMs)
  const sql = prepareStatements(db)
  const recorder = eventRecorder(db, sql, now, eventRetentionMs)

  // Counters and attempts need no power-cut durability (a lost count errs towards allowing, a lost
  // attempt is claimed again with the same number), so their commits skip the sync that sessions and
  // events pay: synchronous=NORMAL for that one commit. The next FULL commit syncs them too.
  function withoutSync<T>(write: () => T): T {
    db.pragma('synchronous = NORMAL')
    try {
      return write()
    } finally {
      db.pragma('synchronous = FULL')
    }
  }
  const takeCount = db.transaction((key: string, windowEnd: number, max: number, at: number): boolean => {
    sql.pruneCounts.run(at)
    return sql.incrementCount.run(key, windowEnd, max).changes === 1
  })
  const claimAttempt = db.transaction((userRef: string, seenSessionId: string | null): number => {
    const view = {userRef, seen: seenSessionId ?? ''}
    sql.insertAttempt.run(view)
    return sql.selectAttempt.get(view)!.attempt
  })

  return {
    latestSession: (userRef) => toRecord(sql.selectLatest.get(userRef)),
    verifiedSession: (userRef) => toRecord(sql.selectVerified.get(userRef)),
    getSession: (id) => toRecord(sql.selectSession.get(id)),
    countSessions: (userRef) => sql.countByUser.get(userRef)!.n,
    countSubmittedSessions: (from, to) => sql.countSubmitted.get(from, to)!.n,
    insertSession(session) {
      const updatedAt = now()
      sql.insertSession.run({...session, lastErrorCode: null, redacted: 0, statusEventCreated: null, submittedAt: null, updatedAt})
    },
    recordEvent: recorder.recordEvent,
    markEventHandled(eventId) {
      sql.markHandled.run(eventId)
    },
    takeCount: (key, windowEnd, max, at) => withoutSync(() => takeCount.immediate(key, windowEnd, max, at)),
    releaseCount(key, windowEnd) {
      withoutSync(() => sql.decrementCount.run(key, windowEnd))
    },
    claimAttempt: (userRef, seenSessionId) => withoutSync(() => claimAttempt.immediate(userRef, seenSessionId)),
    ping() {
      sql.countSubmitted.get(0, 0)
    },
    close() {
      recorder.commitWaiting()
      if (db.open) db.close()
    },
  }
}
