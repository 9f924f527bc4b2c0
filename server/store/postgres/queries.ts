/** Every statement of the PostgreSQL store, in one table, each prepared once per connection. */

/** Keys of the advisory locks this store takes (the first half of a two-part key: ours). */
export const LOCK_MIGRATIONS = 0x1d_7e41
const LOCK_SESSION = 0x1d_7e42

/**
 * The store's own PostgreSQL schema, so its tables never meet a site's (`sessions` is a common name).
 */
export const SCHEMA = 'identity_verify'

/** A query of the store: named, so each connection prepares it once and then only binds and runs it. */
export type Query = {name: string; text: string}

const query = (name: string, text: string): Query => ({name: `identity_verify_${name}`, text})

export const Q = {
  lockSession: query('lock_session', `SELECT pg_advisory_xact_lock(${LOCK_SESSION}, hashtext($1))`),
  // The event, if seen, and the session it concerns (the one it was recorded for, if seen), in one read.
  selectEventAndSession: query(
    'select_event_and_session',
    `SELECT e.handled AS event_handled, e.session_id AS event_session_id, s.*
     FROM (SELECT $1::text AS event_id, $2::text AS session_id) AS asked
     LEFT JOIN events e ON e.id = asked.event_id
     LEFT JOIN sessions s ON s.id = coalesce(e.session_id, asked.session_id)`,
  ),
  selectSession: query('select_session', 'SELECT * FROM sessions WHERE id = $1'),
  insertPlanned: query(
    'insert_planned',
    `INSERT INTO sessions (id, user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
  ),
  applyStatus: query('apply_status', 'UPDATE sessions SET status = $2, last_error_code = $3, status_event_created = $4, updated_at = $5 WHERE id = $1'),
  markSession: query('mark_session', 'UPDATE sessions SET redacted = redacted OR $2, submitted_at = coalesce($3::bigint, submitted_at), updated_at = $4 WHERE id = $1'),
  insertEvent: query('insert_event', 'INSERT INTO events (id, type, session_id, created, received_at, handled) VALUES ($1, $2, $3, $4, $5, $6)'),
  pruneEvents: query('prune_events', 'DELETE FROM events WHERE received_at < $1'),
  selectLatest: query('select_latest', 'SELECT * FROM sessions WHERE user_ref = $1 ORDER BY created_at DESC, id DESC LIMIT 1'),
  selectVerified: query('select_verified', `SELECT * FROM sessions WHERE user_ref = $1 AND status = 'verified' AND NOT redacted ORDER BY created_at DESC, id DESC LIMIT 1`),
  countByUser: query('count_by_user', 'SELECT count(*) AS n FROM sessions WHERE user_ref = $1'),
  countSubmitted: query('count_submitted', 'SELECT count(*) AS n FROM sessions WHERE submitted_at >= $1 AND submitted_at < $2'),
  insertCreated: query('insert_created', 'INSERT INTO sessions (id, user_ref, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING'),
  markHandled: query('mark_handled', 'UPDATE events SET handled = true WHERE id = $1'),
  pruneCounts: query('prune_counts', 'DELETE FROM rate_counts WHERE window_end <= $1'),
  takeCount: query(
    'take_count',
    `INSERT INTO rate_counts (key, window_end, count) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_end) DO UPDATE SET count = rate_counts.count + 1 WHERE rate_counts.count < $3`,
  ),
  releaseCount: query('release_count', 'UPDATE rate_counts SET count = count - 1 WHERE key = $1 AND window_end = $2 AND count > 0'),
  // An attempt after every one claimed and every session the user already has (sessions created
  // elsewhere, or before attempts were kept, used those numbers).
  insertAttempt: query(
    'insert_attempt',
    `INSERT INTO create_attempts (user_ref, attempt, seen_session_id)
     SELECT $1::text, greatest(coalesce((SELECT max(attempt) FROM create_attempts WHERE user_ref = $1), 0),
                               (SELECT count(*) FROM sessions WHERE user_ref = $1)) + 1, $2
     ON CONFLICT DO NOTHING`,
  ),
  selectAttempt: query('select_attempt', 'SELECT attempt FROM create_attempts WHERE user_ref = $1 AND seen_session_id = $2'),
} as const
