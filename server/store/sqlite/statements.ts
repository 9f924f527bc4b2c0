import type {SessionRow} from '../session-row.js'
import type {SqliteDriver, SqlRow, SqlValue} from './driver.js'

/**
 * Every statement of the SQLite store, in one table. Parameters are positional (`?`), as every
 * driver takes them; a write that must know whether it wrote says so with `RETURNING`.
 */
const SQL = {
  selectSession: 'SELECT * FROM sessions WHERE id = ?',
  selectLatest: 'SELECT * FROM sessions WHERE user_ref = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  selectVerified: `SELECT * FROM sessions WHERE user_ref = ? AND status = 'verified' AND redacted = 0
    ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  countByUser: 'SELECT count(*) AS n FROM sessions WHERE user_ref = ?',
  countSubmitted: 'SELECT count(*) AS n FROM sessions WHERE submitted_at >= ? AND submitted_at < ?',
  insertSession: `INSERT INTO sessions (id, user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
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
  // An event's id is claimed by the insert itself: no row back means a redelivery.
  claimEvent: `INSERT INTO events (id, type, session_id, created, received_at, handled) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING RETURNING 1 AS claimed`,
  forgetEvent: 'DELETE FROM events WHERE id = ?',
  // Rows arrive in rowid order, so the ones past their retention are the first ones: this reads them
  // and the first row still kept, nothing more. (A clock set back only keeps rows longer.)
  pruneEvents: `DELETE FROM events WHERE rowid < coalesce(
      (SELECT rowid FROM events WHERE received_at >= ? ORDER BY rowid LIMIT 1),
      (SELECT max(rowid) + 1 FROM events))`,
  markHandled: 'UPDATE events SET handled = 1 WHERE id = ?',
  pruneCounts: 'DELETE FROM rate_counts WHERE window_end <= ?',
  // A row back means the use was counted; none, that the window is full.
  incrementCount: `INSERT INTO rate_counts (key, window_end, count) VALUES (?, ?, 1)
    ON CONFLICT (key, window_end) DO UPDATE SET count = count + 1 WHERE count < ? RETURNING count`,
  decrementCount: 'UPDATE rate_counts SET count = count - 1 WHERE key = ? AND window_end = ? AND count > 0',
  // An attempt after every one claimed and every session the user already has (sessions created
  // before attempts were kept, or elsewhere, used those numbers). The user's reference is given thrice.
  insertAttempt: `INSERT INTO create_attempts (user_ref, attempt, seen_session_id)
    SELECT ?, max(coalesce((SELECT max(attempt) FROM create_attempts WHERE user_ref = ?), 0),
                  (SELECT count(*) FROM sessions WHERE user_ref = ?)) + 1, ?
    WHERE true ON CONFLICT DO NOTHING`,
  selectAttempt: 'SELECT attempt FROM create_attempts WHERE user_ref = ? AND seen_session_id = ?',
} as const

/** A statement whose parameters and rows are typed: the driver's, as the store calls it. */
export interface Statement<P extends SqlValue[], R = SqlRow> {
  all(...params: P): R[]
  get(...params: P): R | undefined
  run(...params: P): void
}

type Count = {n: number}

/** The store's statements, prepared once on a connection. */
export interface Statements {
  selectSession: Statement<[id: string], SessionRow>
  selectLatest: Statement<[userRef: string], SessionRow>
  selectVerified: Statement<[userRef: string], SessionRow>
  countByUser: Statement<[userRef: string], Count>
  countSubmitted: Statement<[from: number, to: number], Count>
  insertSession: Statement<
    [
      id: string,
      userRef: string,
      status: string,
      lastErrorCode: string | null,
      redacted: number,
      statusEventCreated: number | null,
      createdAt: number,
      submittedAt: number | null,
      updatedAt: number,
    ]
  >
  updateSession: Statement<[string | null, string | null, string | null, number | null, number, number, string]>
  markSubmitted: Statement<[submittedAt: number, updatedAt: number, id: string]>
  selectEvent: Statement<[id: string], {handled: number; session_id: string}>
  claimEvent: Statement<[id: string, type: string, sessionId: string, created: number, receivedAt: number, handled: number], {claimed: number}>
  forgetEvent: Statement<[id: string]>
  pruneEvents: Statement<[receivedBefore: number]>
  markHandled: Statement<[id: string]>
  pruneCounts: Statement<[at: number]>
  incrementCount: Statement<[key: string, windowEnd: number, max: number], {count: number}>
  decrementCount: Statement<[key: string, windowEnd: number]>
  insertAttempt: Statement<[userRef: string, userRef: string, userRef: string, seen: string]>
  selectAttempt: Statement<[userRef: string, seen: string], {attempt: number}>
}

/** Prepares the store's statements on a connection, once. */
export function prepareStatements(driver: SqliteDriver): Statements {
  // The rows' types are the schema's, which the driver cannot know: they are declared in `Statements`.
  const prepared = Object.entries(SQL).map(([name, sql]) => [name, driver.prepare(sql)])
  return Object.fromEntries(prepared) as unknown as Statements
}
