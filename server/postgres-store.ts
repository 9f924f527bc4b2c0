/**
 * The PostgreSQL store, for several server processes sharing one database. Pure JavaScript (the
 * `postgres` driver over the runtime's sockets), and it imports nothing of the SQLite store, so the
 * same module serves on runtimes without native add-ons.
 */
import postgres from 'postgres'
import {planEvent} from './event-rules.js'
import {toRecord, toStoredSession, type SessionRow} from './session-row.js'
import {
  EVENT_RETENTION_MS,
  type RecordOutcome,
  type VerificationEventRecord,
  type VerificationRecord,
  type VerificationStore,
} from './verification-store.js'

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

/**
 * Opens the PostgreSQL store at `url` (`postgres://user:password@host:5432/db`, TLS with
 * `?sslmode=require`) and brings its schema up to date. Servers starting together migrate one at a
 * time: the others wait on an advisory lock and then find nothing left to do.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<VerificationStore> {
  const {poolSize = 10, statementTimeoutMs = 5000, connectTimeoutMs = 5000, eventRetentionMs = EVENT_RETENTION_MS, now = Date.now} = options
  const sql = postgres(url, {
    max: poolSize,
    connect_timeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)),
    idle_timeout: 60,
    onnotice: () => {},
    connection: {
      application_name: 'identity-verify',
      search_path: SCHEMA,
      statement_timeout: statementTimeoutMs,
      // A transaction left open by a process that hangs releases its locks.
      idle_in_transaction_session_timeout: Math.max(statementTimeoutMs * 2, 10_000),
    },
  })
  try {
    await migrate(sql)
  } catch (error) {
    await sql.end({timeout: 1})
    throw error
  }

  async function record(event: VerificationEventRecord): Promise<RecordOutcome> {
    const {id} = event.session
    return sql.begin(async (tx): Promise<RecordOutcome> => {
      // Events of one session, from any process, are recorded one after the other: each plans on
      // what the one before it wrote. Other sessions' events do not wait.
      await tx`SELECT pg_advisory_xact_lock(${LOCK_SESSION}, hashtext(${id}))`
      const [seen] = await tx<{handled: boolean; session_id: string}[]>`SELECT handled, session_id FROM events WHERE id = ${event.eventId}`
      if (seen) {
        const [row] = await tx<SessionRow[]>`SELECT * FROM sessions WHERE id = ${seen.session_id}`
        return {kind: 'duplicate', handled: seen.handled, session: toRecord(row)}
      }
      const [row] = await tx<SessionRow[]>`SELECT * FROM sessions WHERE id = ${id}`
      const plan = planEvent(toStoredSession(row), event)
      if (plan.kind === 'tie') return {kind: 'tie'}
      const at = now()
      switch (plan.kind) {
        case 'insert': {
          const s = plan.session
          await tx`INSERT INTO sessions (id, user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at)
                   VALUES (${s.id}, ${s.userRef}, ${s.status}, ${s.lastErrorCode}, ${s.redacted}, ${s.statusEventCreated}, ${s.createdAt}, ${s.submittedAt}, ${at})
                   ON CONFLICT (id) DO NOTHING`
          break
        }
        case 'apply':
          await tx`UPDATE sessions SET status = ${plan.status}, last_error_code = ${plan.lastErrorCode},
                   status_event_created = ${plan.statusEventCreated}, updated_at = ${at} WHERE id = ${id}`
      }
      if ((plan.kind === 'apply' || plan.kind === 'ignore') && (plan.redact || plan.submittedAt !== null)) {
        await tx`UPDATE sessions SET redacted = redacted OR ${plan.redact},
                 submitted_at = coalesce(${plan.submittedAt}::bigint, submitted_at), updated_at = ${at} WHERE id = ${id}`
      }
      await tx`INSERT INTO events (id, type, session_id, created, received_at, handled)
               VALUES (${event.eventId}, ${event.type}, ${id}, ${event.created}, ${event.receivedAt}, ${event.handled ?? false})`
      if (plan.kind === 'orphan') return {kind: 'recorded', handled: false, session: null}
      await tx`DELETE FROM events WHERE received_at < ${event.receivedAt - eventRetentionMs}`
      const [after] = await tx<SessionRow[]>`SELECT * FROM sessions WHERE id = ${id}`
      return {kind: 'recorded', handled: false, session: toRecord(after)}
    })
  }

  async function claimAttempt(userRef: string, seenSessionId: string | null): Promise<number> {
    const seen = seenSessionId ?? ''
    // Two views claiming the same next number at once: one wins the primary key, the other claims again.
    for (;;) {
      await sql`INSERT INTO create_attempts (user_ref, attempt, seen_session_id)
                SELECT ${userRef}, greatest(coalesce((SELECT max(attempt) FROM create_attempts WHERE user_ref = ${userRef}), 0),
                                            (SELECT count(*) FROM sessions WHERE user_ref = ${userRef})) + 1, ${seen}
                ON CONFLICT DO NOTHING`
      const [row] = await sql<{attempt: number}[]>`SELECT attempt FROM create_attempts WHERE user_ref = ${userRef} AND seen_session_id = ${seen}`
      if (row) return row.attempt
    }
  }

  return {
    async latestSession(userRef) {
      const [row] = await sql<SessionRow[]>`SELECT * FROM sessions WHERE user_ref = ${userRef} ORDER BY created_at DESC, id DESC LIMIT 1`
      return toRecord(row)
    },
    async verifiedSession(userRef) {
      const [row] = await sql<SessionRow[]>`SELECT * FROM sessions WHERE user_ref = ${userRef} AND status = 'verified' AND NOT redacted
                                            ORDER BY created_at DESC, id DESC LIMIT 1`
      return toRecord(row)
    },
    async getSession(id) {
      const [row] = await sql<SessionRow[]>`SELECT * FROM sessions WHERE id = ${id}`
      return toRecord(row)
    },
    async countSessions(userRef) {
      const [row] = await sql<{n: string}[]>`SELECT count(*) AS n FROM sessions WHERE user_ref = ${userRef}`
      return Number(row!.n)
    },
    async countSubmittedSessions(from, to) {
      const [row] = await sql<{n: string}[]>`SELECT count(*) AS n FROM sessions WHERE submitted_at >= ${from} AND submitted_at < ${to}`
      return Number(row!.n)
    },
    async insertSession(session) {
      await sql`INSERT INTO sessions (id, user_ref, status, created_at, updated_at)
                VALUES (${session.id}, ${session.userRef}, ${session.status}, ${session.createdAt}, ${now()})
                ON CONFLICT (id) DO NOTHING`
    },
    recordEvent: record,
    async markEventHandled(eventId) {
      await sql`UPDATE events SET handled = true WHERE id = ${eventId}`
    },
    async takeCount(key, windowEnd, max, at) {
      await sql`DELETE FROM rate_counts WHERE window_end <= ${at}`
      const counted = await sql`INSERT INTO rate_counts (key, window_end, count) VALUES (${key}, ${windowEnd}, 1)
                                ON CONFLICT (key, window_end) DO UPDATE SET count = rate_counts.count + 1
                                WHERE rate_counts.count < ${max} RETURNING count`
      return counted.count === 1
    },
    async releaseCount(key, windowEnd) {
      await sql`UPDATE rate_counts SET count = count - 1 WHERE key = ${key} AND window_end = ${windowEnd} AND count > 0`
    },
    claimAttempt,
    async close() {
      await sql.end({timeout: 5})
    },
  }
}

async function migrate(sql: postgres.Sql): Promise<void> {
  await sql.begin(async (tx) => {
    // Every server starting at once runs this; the lock lets one migrate while the others wait.
    await tx`SELECT pg_advisory_xact_lock(${LOCK_MIGRATIONS}, 0)`
    await tx`CREATE SCHEMA IF NOT EXISTS ${tx(SCHEMA)}`
    await tx`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`
    const [row] = await tx<{version: number}[]>`SELECT version FROM schema_version`
    const version = row?.version ?? 0
    if (version > MIGRATIONS.length) {
      throw new Error(`The database schema (version ${version}) is newer than this server (version ${MIGRATIONS.length})`)
    }
    for (let next = version; next < MIGRATIONS.length; next++) await tx.unsafe(MIGRATIONS[next]!)
    if (!row) await tx`INSERT INTO schema_version (version) VALUES (${MIGRATIONS.length})`
    else await tx`UPDATE schema_version SET version = ${MIGRATIONS.length}`
  })
}
