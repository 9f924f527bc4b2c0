/**
 * One connection to the SQLite store's database over a driver, every call answered on the calling
 * thread: on Node the store thread's connection (`thread.ts`) and the server's reads (`index.ts`),
 * on Bun and Deno the whole store. Imports no SQLite library and no Node module, so that every
 * runtime's bundle can hold it.
 */
import type {NewVerificationSession, RecordOutcome, VerificationEventRecord, VerificationRecord} from '../../rules/records.js'
import {toRecord} from '../session-row.js'
import {EVENT_RETENTION_MS} from '../store.js'
import type {SqliteDriver} from './driver.js'
import {migrate, type InboxFiles} from './migrate.js'
import {eventRecorder, type EventCommits} from './record-events.js'
import {prepareStatements} from './statements.js'

/** Options of a connection over a driver. */
export interface DriverConnectionOptions {
  /** How long seen event ids are kept, in ms (at least three days; default four). */
  eventRetentionMs?: number
  /** The clock, for tests. */
  now?: () => number
  /** How webhook events share commits (default: those of one turn of the event loop, after `setTimeout(0)`). */
  eventCommits?: EventCommits
  /**
   * Runs a write that needs no power-cut durability (counters and attempts: a lost count errs towards
   * allowing, a lost attempt is claimed again with the same number), where the driver can skip its
   * sync to disk for it (default: runs it as any other).
   */
  withoutSync?: <T>(write: () => T) => T
  /** The database in messages (default: "the database"). */
  name?: string
  /** The legacy webhook inbox's files beside the database, where there can be some (Node's file). */
  inbox?: InboxFiles
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

/** The group commit's default turn: `setTimeout(0)`, which every runtime has. */
const AFTER_THIS_TURN: EventCommits = {schedule: (commit) => void setTimeout(commit, 0)}

/**
 * The store's calls on `driver`: brings its schema up to date first (which writes in any case, so a
 * database that cannot be written is found now, not at the first webhook), then prepares its
 * statements once. Closing the connection closes the driver.
 */
export function openDriverConnection(driver: SqliteDriver, options: DriverConnectionOptions = {}): SqliteConnection {
  const {eventRetentionMs = EVENT_RETENTION_MS, now = Date.now, eventCommits = AFTER_THIS_TURN, withoutSync = (write) => write()} = options
  migrate(driver, options.name ?? 'the database', options.inbox)
  const sql = prepareStatements(driver)
  const recorder = eventRecorder(driver, sql, now, eventRetentionMs, eventCommits)
  let open = true

  return {
    latestSession: (userRef) => toRecord(sql.selectLatest.get(userRef)),
    verifiedSession: (userRef) => toRecord(sql.selectVerified.get(userRef)),
    getSession: (id) => toRecord(sql.selectSession.get(id)),
    countSessions: (userRef) => Number(sql.countByUser.get(userRef)!.n),
    countSubmittedSessions: (from, to) => Number(sql.countSubmitted.get(from, to)!.n),
    insertSession({id, userRef, status, createdAt}) {
      sql.insertSession.run(id, userRef, status, null, 0, null, createdAt, null, now())
    },
    recordEvent: recorder.recordEvent,
    markEventHandled(eventId) {
      sql.markHandled.run(eventId)
    },
    takeCount: (key, windowEnd, max, at) =>
      withoutSync(() =>
        driver.transaction(() => {
          sql.pruneCounts.run(at)
          return sql.incrementCount.get(key, windowEnd, max) !== undefined
        }),
      ),
    releaseCount(key, windowEnd) {
      withoutSync(() => sql.decrementCount.run(key, windowEnd))
    },
    claimAttempt: (userRef, seenSessionId) =>
      withoutSync(() =>
        driver.transaction(() => {
          const seen = seenSessionId ?? ''
          sql.insertAttempt.run(userRef, userRef, userRef, seen)
          return Number(sql.selectAttempt.get(userRef, seen)!.attempt)
        }),
      ),
    ping() {
      sql.countSubmitted.get(0, 0)
    },
    close() {
      if (!open) return
      recorder.close()
      open = false
      driver.close()
    },
  }
}
