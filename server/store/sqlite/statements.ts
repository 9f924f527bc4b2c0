import type Database from 'better-sqlite3'
import type {SessionRow} from '../session-row.js'

/** Every statement of the SQLite store, in one table. */
const SQL = {
  selectSession: 'SELECT * FROM sessions WHERE id = ?',
  // A session as the event rules read it, as an array: better-sqlite3 builds a row object slowly, column by column.
  selectSessionValues: `SELECT user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at
    FROM sessions WHERE id = ?`,
  selectLatest: 'SELECT * FROM sessions WHERE user_ref = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  selectVerified: `SELECT * FROM sessions WHERE user_ref = ? AND status = 'verified' AND redacted = 0
    ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  countByUser: 'SELECT count(*) AS n FROM sessions WHERE user_ref = ?',
  countSubmitted: 'SELECT count(*) AS n FROM sessions WHERE submitted_at >= ? AND submitted_at < ?',
  insertSession: `INSERT INTO sessions (id, user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at)
    VALUES (@id, @userRef, @status, @lastErrorCode, @redacted, @statusEventCreated, @createdAt, @submittedAt, @updatedAt)
    ON CONFLICT (id) DO NOTHING`,
  // The changes an event makes to a stored session; a null status leaves the status as it is. The
  // submission time, an indexed column, is written apart, only when it changes.
  updateSession: `UPDATE sessions SET status = coalesce(?, status),
      last_error_code = CASE WHEN ? IS NULL THEN last_error_code ELSE ? END,
      status_event_created = coalesce(?, status_event_created),
      redacted = max(redacted, ?),
      updated_at = ?
    WHERE id = ?`,
  markSubmitted: 'UPDATE sessions SET submitted_at = ?, updated_at = ? WHERE id = ?',
  selectEvent: 'SELECT handled, session_id FROM events WHERE id = ?',
  // An event's id is claimed by the insert itself: no change means a redelivery.
  claimEvent: 'INSERT INTO events (id, type, session_id, created, received_at, handled) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  forgetEvent: 'DELETE FROM events WHERE id = ?',
  // Rows arrive in rowid order, so the ones past their retention are the first ones: this reads them
  // and the first row still kept, nothing more. (A clock set back only keeps rows longer.)
  pruneEvents: `DELETE FROM events WHERE rowid < coalesce(
      (SELECT rowid FROM events WHERE received_at >= ? ORDER BY rowid LIMIT 1),
      (SELECT max(rowid) + 1 FROM events))`,
  markHandled: 'UPDATE events SET handled = 1 WHERE id = ?',
  pruneCounts: 'DELETE FROM rate_counts WHERE window_end <= ?',
  incrementCount: `INSERT INTO rate_counts (key, window_end, count) VALUES (?, ?, 1)
    ON CONFLICT (key, window_end) DO UPDATE SET count = count + 1 WHERE count < ?`,
  decrementCount: 'UPDATE rate_counts SET count = count - 1 WHERE key = ? AND window_end = ? AND count > 0',
  // An attempt after every one claimed and every session the user already has (sessions created
  // before attempts were kept, or elsewhere, used those numbers).
  insertAttempt: `INSERT INTO create_attempts (user_ref, attempt, seen_session_id)
    SELECT @userRef, max(coalesce((SELECT max(attempt) FROM create_attempts WHERE user_ref = @userRef), 0),
                         (SELECT count(*) FROM sessions WHERE user_ref = @userRef)) + 1, @seen
    WHERE true ON CONFLICT DO NOTHING`,
  selectAttempt: 'SELECT attempt FROM create_attempts WHERE user_ref = @userRef AND seen_session_id = @seen',
} as const

/** A session's columns after its id, as `selectSessionValues` reads them. */
export type SessionValues = [string, string, string | null, number, number | null, number, number | null, number]

type Count = {n: number}
type AttemptView = {userRef: string; seen: string}

type Statement<P extends unknown[] | object, R = unknown> = Database.Statement<P, R>

/** The store's statements, prepared once on a connection. */
export interface Statements {
  selectSession: Statement<[string], SessionRow>
  selectSessionValues: Statement<[string], SessionValues>
  selectLatest: Statement<[string], SessionRow>
  selectVerified: Statement<[string], SessionRow>
  countByUser: Statement<[string], Count>
  countSubmitted: Statement<[number, number], Count>
  insertSession: Statement<unknown[]>
  updateSession: Statement<[string | null, string | null, string | null, number | null, number, number, string]>
  markSubmitted: Statement<[number, number, string]>
  selectEvent: Statement<[string], {handled: number; session_id: string}>
  claimEvent: Statement<[string, string, string, number, number, number]>
  forgetEvent: Statement<[string]>
  pruneEvents: Statement<[number]>
  markHandled: Statement<[string]>
  pruneCounts: Statement<[number]>
  incrementCount: Statement<[string, number, number]>
  decrementCount: Statement<[string, number]>
  insertAttempt: Statement<AttemptView>
  selectAttempt: Statement<AttemptView, {attempt: number}>
}

/** Prepares the store's statements on a connection, once. */
export function prepareStatements(db: Database.Database): Statements {
  return {
    selectSession: db.prepare<[string], SessionRow>(SQL.selectSession),
    selectSessionValues: db.prepare<[string], SessionValues>(SQL.selectSessionValues).raw(),
    selectLatest: db.prepare<[string], SessionRow>(SQL.selectLatest),
    selectVerified: db.prepare<[string], SessionRow>(SQL.selectVerified),
    countByUser: db.prepare<[string], Count>(SQL.countByUser),
    countSubmitted: db.prepare<[number, number], Count>(SQL.countSubmitted),
    insertSession: db.prepare(SQL.insertSession),
    updateSession: db.prepare<[string | null, string | null, string | null, number | null, number, number, string]>(SQL.updateSession),
    markSubmitted: db.prepare<[number, number, string]>(SQL.markSubmitted),
    selectEvent: db.prepare<[string], {handled: number; session_id: string}>(SQL.selectEvent),
    claimEvent: db.prepare<[string, string, string, number, number, number]>(SQL.claimEvent),
    forgetEvent: db.prepare<[string]>(SQL.forgetEvent),
    pruneEvents: db.prepare<[number]>(SQL.pruneEvents),
    markHandled: db.prepare<[string]>(SQL.markHandled),
    pruneCounts: db.prepare<[number]>(SQL.pruneCounts),
    incrementCount: db.prepare<[string, number, number]>(SQL.incrementCount),
    decrementCount: db.prepare<[string, number]>(SQL.decrementCount),
    insertAttempt: db.prepare<AttemptView>(SQL.insertAttempt),
    selectAttempt: db.prepare<AttemptView, {attempt: number}>(SQL.selectAttempt),
  }
}
