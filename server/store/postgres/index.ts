/**
 * The PostgreSQL store, for several server processes sharing one database. Pure JavaScript (the `pg`
 * driver, node-postgres, over the runtime's sockets), and it imports nothing of the SQLite store, so
 * the same module serves on runtimes without native add-ons.
 */
import pg from 'pg'
import {planEvent} from '../../rules/event-rules.js'
import {toRecord, toStoredSession, type SessionRow} from '../session-row.js'
import {EVENT_RETENTION_MS, type VerificationStore} from '../store.js'
import type {RecordOutcome, VerificationEventRecord, VerificationRecord} from '../../rules/records.js'

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** Connections kept open at most (default 10). */
  poolSize?: number
  /** How long one statement may run before the server cancels it, in ms (default 5000). */
  statementTimeoutMs?: number
  /** How long opening a connection may take, in ms (default 5000). */
  connectTimeoutMs?: number
  /** How long seen event ids are kept, in ms (at least three days; default four). */
  eventRetentionMs?: number
  /** The clock, for tests. */
  now?: () => number
  /**
   * Brings the schema up to date on opening (default true); false skips it, for a caller that opens
   * the store again and again on a database it already migrated (a Worker opens one per request).
   */
  migrate?: boolean
}

/** Keys of the advisory locks this store takes (the first half of a two-part key: ours). */
const LOCK_MIGRATIONS = 0x1d_7e41
const LOCK_SESSION = 0x1d_7e42

/**
 * The store's own PostgreSQL schema, so its tables never meet a site's (`sessions` is a common name).
 */
const SCHEMA = 'identity_verify'

/** The tables, one entry per version; `schema_version.version` says how many have been applied. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_ref TEXT NOT NULL,
     status TEXT NOT NULL,
     last_error_code TEXT,
     redacted BOOLEAN NOT NULL DEFAULT false,
     status_event_created BIGINT,
     created_at BIGINT NOT NULL,
     submitted_at BIGINT,
     updated_at BIGINT NOT NULL
   );
   CREATE INDEX sessions_by_user ON sessions (user_ref, created_at);
   CREATE INDEX sessions_by_submitted_at ON sessions (submitted_at) WHERE submitted_at IS NOT NULL;
   CREATE TABLE events (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     session_id TEXT NOT NULL,
     created BIGINT NOT NULL,
     received_at BIGINT NOT NULL,
     handled BOOLEAN NOT NULL DEFAULT false
   );
   CREATE INDEX events_by_received_at ON events (received_at);
   CREATE TABLE rate_counts (
     key TEXT NOT NULL,
     window_end BIGINT NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (key, window_end)
   );
   CREATE INDEX rate_counts_by_window_end ON rate_counts (window_end);
   CREATE TABLE create_attempts (
     user_ref TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     seen_session_id TEXT NOT NULL,
     PRIMARY KEY (user_ref, attempt),
     UNIQUE (user_ref, seen_session_id)
   );`,
]

/** A query of the store: named, so each connection prepares it once and then only binds and runs it. */
type Query = {name: string; text: string}

const query = (name: string, text: string): Query => ({name: `identity_verify_${name}`, text})

const Q = {
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
  applyStatus: query(
    'apply_status',
    'UPDATE sessions SET status = $2, last_error_code = $3, status_event_created = $4, updated_at = $5 WHERE id = $1',
  ),
  markSession: query(
    'mark_session',
    'UPDATE sessions SET redacted = redacted OR $2, submitted_at = coalesce($3::bigint, submitted_at), updated_at = $4 WHERE id = $1',
  ),
  insertEvent: query('insert_event', 'INSERT INTO events (id, type, session_id, created, received_at, handled) VALUES ($1, $2, $3, $4, $5, $6)'),
  pruneEvents: query('prune_events', 'DELETE FROM events WHERE received_at < $1'),
  selectLatest: query('select_latest', 'SELECT * FROM sessions WHERE user_ref = $1 ORDER BY created_at DESC, id DESC LIMIT 1'),
  selectVerified: query(
    'select_verified',
    `SELECT * FROM sessions WHERE user_ref = $1 AND status = 'verified' AND NOT redacted ORDER BY created_at DESC, id DESC LIMIT 1`,
  ),
  countByUser: query('count_by_user', 'SELECT count(*) AS n FROM sessions WHERE user_ref = $1'),
  countSubmitted: query('count_submitted', 'SELECT count(*) AS n FROM sessions WHERE submitted_at >= $1 AND submitted_at < $2'),
  insertCreated: query(
    'insert_created',
    'INSERT INTO sessions (id, user_ref, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
  ),
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

/** Whether this runtime's timers have Node's `unref` (Node, Bun, Deno: yes; Cloudflare Workers: no). */
function timersCanUnref(): boolean {
  const timer: unknown = setTimeout(() => {}, 0)
  clearTimeout(timer as number)
  return typeof (timer as {unref?: unknown} | null)?.unref === 'function'
}

/**
 * Opens the PostgreSQL store at `url` (`postgres://user:password@host:5432/db`, TLS with
 * `?sslmode=require`) and brings its schema up to date. Servers starting together migrate one at a
 * time: the others wait on an advisory lock and then find nothing left to do.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<VerificationStore> {
  const {poolSize = 10, statementTimeoutMs = 5000, connectTimeoutMs = 5000, eventRetentionMs = EVENT_RETENTION_MS, now = Date.now, migrate: migrates = true} = options
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 60_000,
    // Idle connections alone keep no process alive (a script that forgot close() still ends), where
    // timers can be unref'd: Cloudflare Workers' are plain numbers, and nothing there waits for them.
    allowExitOnIdle: timersCanUnref(),
    application_name: 'identity-verify',
    options: `-c search_path=${SCHEMA}`,
    statement_timeout: statementTimeoutMs,
    // The client gives up too, should the server or the network stop answering altogether.
    query_timeout: statementTimeoutMs + 1000,
    // A transaction left open by a process that hangs releases its locks.
    idle_in_transaction_session_timeout: Math.max(statementTimeoutMs * 2, 10_000),
  })
  // A connection lost while idle in the pool, or between two queries of a transaction, must not
  // take the process down as an unhandled 'error' event: the pool drops it, and the query that needs
  // it fails (and is tried again on another connection).
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  try {
    if (migrates) await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }

  const run = async <R extends pg.QueryResultRow>(q: Query, values: unknown[], client?: pg.PoolClient) =>
    client ? (await client.query<R>({...q, values})).rows : (await once(() => pool.query<R>({...q, values}))).rows

  /**
   * Runs `work` again when the connection it was given turns out to be one the database closed while
   * it sat in the pool (the database restarted; each try drops one such connection): every call of
   * the store is safe to repeat.
   */
  async function once<T>(work: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await work()
      } catch (error) {
        if (!isConnectionLost(error) || tries > poolSize) throw error
      }
    }
  }

  /** Runs `work` in one transaction on one connection; a connection that failed is closed, not reused. */
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => once(() => transactionOnce(work))
  async function transactionOnce<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      broken = error as Error
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release(broken)
    }
  }

  let lastPrunedAt = Number.NEGATIVE_INFINITY
  const record = (event: VerificationEventRecord): Promise<RecordOutcome> =>
    transaction(async (client): Promise<RecordOutcome> => {
      const {id} = event.session
      // Events of one session, from any process, are recorded one after the other: each plans on
      // what the one before it wrote. Other sessions' events do not wait.
      await run(Q.lockSession, [id], client)
      type Read = Partial<SessionRow> & {event_handled: boolean | null; event_session_id: string | null}
      const [read] = await run<Read>(Q.selectEventAndSession, [event.eventId, id], client)
      const row = read?.id ? (read as SessionRow) : undefined
      if (read?.event_session_id) return {kind: 'duplicate', handled: Boolean(read.event_handled), session: toRecord(row)}
      const plan = planEvent(toStoredSession(row), event)
      if (plan.kind === 'tie') return {kind: 'tie'}
      const at = now()
      if (plan.kind === 'insert') {
        const s = plan.session
        await run(Q.insertPlanned, [s.id, s.userRef, s.status, s.lastErrorCode, s.redacted, s.statusEventCreated, s.createdAt, s.submittedAt, at], client)
      }
      if (plan.kind === 'apply') await run(Q.applyStatus, [id, plan.status, plan.lastErrorCode, plan.statusEventCreated, at], client)
      if ((plan.kind === 'apply' || plan.kind === 'ignore') && (plan.redact || plan.submittedAt !== null)) {
        await run(Q.markSession, [id, plan.redact, plan.submittedAt, at], client)
      }
      await run(Q.insertEvent, [event.eventId, event.type, id, event.created, event.receivedAt, event.handled ?? false], client)
      if (plan.kind === 'orphan') return {kind: 'recorded', handled: false, session: null}
      // Forgetting old event ids once a minute is as good as at every event, and saves a statement.
      if (event.receivedAt - lastPrunedAt >= 60_000) {
        await run(Q.pruneEvents, [event.receivedAt - eventRetentionMs], client)
        lastPrunedAt = event.receivedAt
      }
      const [after] = await run<SessionRow>(Q.selectSession, [id], client)
      return {kind: 'recorded', handled: false, session: toRecord(after)}
    })

  async function claimAttempt(userRef: string, seenSessionId: string | null): Promise<number> {
    const seen = seenSessionId ?? ''
    // Two views claiming the same next number at once: one wins the primary key, the other claims again.
    for (;;) {
      await run(Q.insertAttempt, [userRef, seen])
      const [row] = await run<{attempt: number}>(Q.selectAttempt, [userRef, seen])
      if (row) return row.attempt
    }
  }

  return {
    latestSession: async (userRef) => toRecord((await run<SessionRow>(Q.selectLatest, [userRef]))[0]),
    verifiedSession: async (userRef) => toRecord((await run<SessionRow>(Q.selectVerified, [userRef]))[0]),
    getSession: async (id) => toRecord((await run<SessionRow>(Q.selectSession, [id]))[0]),
    countSessions: async (userRef) => Number((await run<{n: string}>(Q.countByUser, [userRef]))[0]!.n),
    countSubmittedSessions: async (from, to) => Number((await run<{n: string}>(Q.countSubmitted, [from, to]))[0]!.n),
    async insertSession(session) {
      // Under the session's lock: an event of the session recorded at the same moment plans on this
      // row, or this insert finds the event's and does nothing; neither loses the other's status.
      await transaction(async (client) => {
        await run(Q.lockSession, [session.id], client)
        await run(Q.insertCreated, [session.id, session.userRef, session.status, session.createdAt, now()], client)
      })
    },
    recordEvent: record,
    async markEventHandled(eventId) {
      await run(Q.markHandled, [eventId])
    },
    async takeCount(key, windowEnd, max, at) {
      await run(Q.pruneCounts, [at])
      return (await once(() => pool.query({...Q.takeCount, values: [key, windowEnd, max]}))).rowCount === 1
    },
    async releaseCount(key, windowEnd) {
      await run(Q.releaseCount, [key, windowEnd])
    },
    claimAttempt,
    async close() {
      await pool.end()
    },
  }
}

/** Whether `error` says the connection was gone: closed by a database that restarted, or reset. */
function isConnectionLost(error: unknown): boolean {
  const {code, message} = error as {code?: string; message?: string}
  // 57P01-57P03: the server shut down or is starting; 08xxx: connection exceptions.
  if (code && (/^57P0[123]$/.test(code) || code.startsWith('08') || code === 'ECONNRESET' || code === 'EPIPE')) return true
  return /Connection terminated unexpectedly|not queryable/.test(message ?? '')
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    // Every server starting at once runs this; the lock lets one migrate while the others wait.
    await client.query(`SELECT pg_advisory_xact_lock(${LOCK_MIGRATIONS}, 0)`)
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`)
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
    const [row] = (await client.query<{version: number}>('SELECT version FROM schema_version')).rows
    const version = row?.version ?? 0
    if (version > MIGRATIONS.length) {
      throw new Error(`The database schema (version ${version}) is newer than this server (version ${MIGRATIONS.length})`)
    }
    for (let next = version; next < MIGRATIONS.length; next++) await client.query(MIGRATIONS[next]!)
    if (!row) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [MIGRATIONS.length])
    else await client.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length])
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
