/**
 * The Durable Objects that keep the Worker's state when it has no `DATABASE_URL` (declared in
 * wrangler.jsonc). Each `VerificationObject` is one SQLite store (the same statements,
 * migrations and `planEvent` as on Node) over its own database; `durableObjectStore` decides which
 * object answers which call. An object runs one call at a time up to its first wait, and every call
 * here is synchronous: the store's transactions never interleave.
 *
 * The output gate holds an object's answer until the writes made before it are durable, so a
 * webhook answered 200 after `recordEvent` resolved is never lost.
 */
import {DurableObject, type DurableObjectState} from 'cloudflare:workers'
import type {NewVerificationSession, RecordOutcome, VerificationEventRecord, VerificationRecord} from '../../server/web.js'
import {openDriverConnection, type SqliteConnection} from '../../server/store/sqlite/connection.js'
import {durableObjectDriver} from '../../server/store/sqlite/drivers/durable-object.js'

/** What an object's `recordEvent` answers: the outcome, and the submission the daily count must be told of. */
export interface ObjectRecordOutcome {
  outcome: RecordOutcome
  /**
   * The session and its submission time when this event submitted it, or when it is a redelivery of
   * a submitted session (its first delivery may have failed before the count was told); else null.
   */
  submitted: {sessionId: string; submittedAt: number} | null
}

/** One SQLite store: a user's sessions, events and create attempts, or one rate counter. */
export class VerificationObject extends DurableObject {
  readonly #store: SqliteConnection

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    // Synchronous, before the object takes any call: the schema is brought up to date here.
    this.#store = openDriverConnection(durableObjectDriver(ctx.storage), {eventCommits: 'each'})
  }

  latestSession(userRef: string): VerificationRecord | null {
    return this.#store.latestSession(userRef)
  }
  verifiedSession(userRef: string): VerificationRecord | null {
    return this.#store.verifiedSession(userRef)
  }
  getSession(id: string): VerificationRecord | null {
    return this.#store.getSession(id)
  }
  countSessions(userRef: string): number {
    return this.#store.countSessions(userRef)
  }
  insertSession(session: NewVerificationSession): void {
    this.#store.insertSession(session)
  }
  async recordEvent(event: VerificationEventRecord): Promise<ObjectRecordOutcome> {
    const before = this.#store.getSession(event.session.id)?.submittedAt ?? null
    const outcome = await this.#store.recordEvent(event)
    const session = outcome.kind === 'tie' ? null : outcome.session
    const told = session?.submittedAt != null && (outcome.kind === 'duplicate' || before !== session.submittedAt)
    return {outcome, submitted: told ? {sessionId: session.id, submittedAt: session.submittedAt!} : null}
  }
  markEventHandled(eventId: string): void {
    this.#store.markEventHandled(eventId)
  }
  takeCount(key: string, windowEnd: number, max: number, at: number): boolean {
    return this.#store.takeCount(key, windowEnd, max, at)
  }
  releaseCount(key: string, windowEnd: number): void {
    this.#store.releaseCount(key, windowEnd)
  }
  claimAttempt(userRef: string, seenSessionId: string | null): number {
    return this.#store.claimAttempt(userRef, seenSessionId)
  }
  ping(): void {
    this.#store.ping()
  }
}

/** How long submissions are kept: the daily guard asks for the current UTC day only. */
const SUBMISSIONS_RETENTION_MS = 2 * 24 * 60 * 60 * 1000

/**
 * The sessions submitted, all users together: the daily guard's count, read by every create. The
 * user objects' submissions are told here by session id, so a redelivery counts once.
 */
export class SubmissionsObject extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS submitted_sessions (session_id TEXT PRIMARY KEY, submitted_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS submitted_sessions_by_time ON submitted_sessions (submitted_at)`)
  }

  /** Counts `sessionId` as submitted at `submittedAt` (ms since the epoch), once however often told; forgets the ones past retention. */
  note(sessionId: string, submittedAt: number): void {
    const {sql} = this.ctx.storage
    // A session's submission time only moves earlier (an earlier event delivered late): the earliest told stands.
    sql.exec(
      `INSERT INTO submitted_sessions (session_id, submitted_at) VALUES (?, ?)
        ON CONFLICT (session_id) DO UPDATE SET submitted_at = min(submitted_at, excluded.submitted_at)`,
      sessionId,
      submittedAt,
    )
    sql.exec('DELETE FROM submitted_sessions WHERE submitted_at < ?', Date.now() - SUBMISSIONS_RETENTION_MS)
  }

  /** How many sessions were submitted at or after `from` and before `to`. */
  count(from: number, to: number): number {
    const [row] = this.ctx.storage.sql.exec<{n: number}>('SELECT count(*) AS n FROM submitted_sessions WHERE submitted_at >= ? AND submitted_at < ?', from, to).toArray()
    return row!.n
  }
}
