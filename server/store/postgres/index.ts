/**
 * The PostgreSQL store, for several server processes sharing one database. Pure JavaScript (the `pg`
 * driver, node-postgres, over the runtime's sockets), and it imports nothing of the SQLite store, so
 * the same module serves on runtimes without native add-ons.
 */
import pg from 'pg'
import {planEvent} from '../../rules/event-rules.js'
import type {RecordOutcome, VerificationEventRecord} from '../../rules/records.js'
import {toRecord, toStoredSession, type SessionRow} from '../session-row.js'
import {EVENT_RETENTION_MS, type VerificationStore} from '../store.js'
import {migrate} from './migrate.js'
import {Q, SCHEMA, type Query} from './queries.js'

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

/** Whether this runtime's timers have Node's `unref` (Node, Bun, Deno: yes; Cloudflare Workers: no). */
function timersCanUnref(): boolean {
  const timer: unknown = setTimeout(() => {}, 0)
  clearTimeout(timer as number)
  return typeof (timer as {unref?: unknown} | null)?.unref === 'function'
}

/** Whether `error` says the connection was gone: closed by a database that restarted, or reset. */
function isConnectionLost(error: unknown): boolean {
  const {code, message} = error as {code?: string; message?: string}
  // 57P01-57P03: the server shut down or is starting; 08xxx: connection exceptions.
  if (code && (/^57P0[123]$/.test(code) || code.startsWith('08') || code === 'ECONNRESET' || code === 'EPIPE')) return true
  return /Connection terminated unexpectedly|not queryable/.test(message ?? '')
}

/** A pool of connections, with the store's way of running a statement and a transaction on it. */
interface Database {
  /** Runs `q` on `client`, or on a connection of the pool (tried again on a connection the database closed). */
  run<R extends pg.QueryResultRow>(q: Query, values: unknown[], client?: pg.PoolClient): Promise<R[]>
  /** The rows `q` changed, on a connection of the pool. */
  changes(q: Query, values: unknown[]): Promise<number>
  /** Runs `work` in one transaction on one connection; a connection that failed is closed, not reused. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>
  pool: pg.Pool
}

/** Opens the pool with the store's settings (see `PostgresStoreOptions`). */
function openDatabase(url: string, poolSize: number, statementTimeoutMs: number, connectTimeoutMs: number): Database {
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
  return {
    pool,
    run: async (q, values, client) => (client ? await client.query({...q, values}) : await once(() => pool.query({...q, values}))).rows,
    changes: async (q, values) => (await once(() => pool.query({...q, values}))).rowCount ?? 0,
    transaction: (work) => once(() => transactionOnce(work)),
  }
}

/**
 * Records events as `planEvent` says, each in one transaction under its session's advisory lock:
 * events of one session, from any process, are recorded one after the other, each planning on what
 * the one before it wrote; other sessions' events do not wait.
 */
function eventRecorder({run, transaction}: Database, now: () => number, eventRetentionMs: number) {
  let lastPrunedAt = Number.NEGATIVE_INFINITY
  return (event: VerificationEventRecord): Promise<RecordOutcome> =>
    transaction(async (client): Promise<RecordOutcome> => {
      const {id} = event.session
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
}

/**
 * Opens the PostgreSQL store at `url` (`postgres://user:password@host:5432/db`, TLS with
 * `?sslmode=require`) and brings its schema up to date. Servers starting together migrate one at a
 * time: the others wait on an advisory lock and then find nothing left to do.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<VerificationStore> {
  const {poolSize = 10, statementTimeoutMs = 5000, connectTimeoutMs = 5000, eventRetentionMs = EVENT_RETENTION_MS, now = Date.now} = options
  const db = openDatabase(url, poolSize, statementTimeoutMs, connectTimeoutMs)
  const {run, changes, transaction, pool} = db
  try {
    if (options.migrate !== false) await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  const first = async <R extends pg.QueryResultRow>(q: Query, values: unknown[]) => (await run<R>(q, values))[0]
  const count = async (q: Query, values: unknown[]) => Number((await first<{n: string}>(q, values))!.n)
  return {
    latestSession: async (userRef) => toRecord(await first<SessionRow>(Q.selectLatest, [userRef])),
    verifiedSession: async (userRef) => toRecord(await first<SessionRow>(Q.selectVerified, [userRef])),
    getSession: async (id) => toRecord(await first<SessionRow>(Q.selectSession, [id])),
    countSessions: (userRef) => count(Q.countByUser, [userRef]),
    countSubmittedSessions: (from, to) => count(Q.countSubmitted, [from, to]),
    async insertSession(session) {
      // Under the session's lock: an event of the session recorded at the same moment plans on this
      // row, or this insert finds the event's and does nothing; neither loses the other's status.
      await transaction(async (client) => {
        await run(Q.lockSession, [session.id], client)
        await run(Q.insertCreated, [session.id, session.userRef, session.status, session.createdAt, now()], client)
      })
    },
    recordEvent: eventRecorder(db, now, eventRetentionMs),
    async markEventHandled(eventId) {
      await run(Q.markHandled, [eventId])
    },
    async takeCount(key, windowEnd, max, at) {
      await run(Q.pruneCounts, [at])
      return (await changes(Q.takeCount, [key, windowEnd, max])) === 1
    },
    async releaseCount(key, windowEnd) {
      await run(Q.releaseCount, [key, windowEnd])
    },
    async ping() {
      await run(Q.countSubmitted, [0, 0])
    },
    async claimAttempt(userRef, seenSessionId) {
      const seen = seenSessionId ?? ''
      // Two views claiming the same next number at once: one wins the primary key, the other claims again.
      for (;;) {
        await run(Q.insertAttempt, [userRef, seen])
        const row = await first<{attempt: number}>(Q.selectAttempt, [userRef, seen])
        if (row) return row.attempt
      }
    },
    async close() {
      await pool.end()
    },
  }
}
