import {answeringSession} from '../rules/answering-session.js'
import type {NewVerificationSession, RecordOutcome, VerificationEventRecord, VerificationRecord} from '../rules/records.js'

/** How long event ids are remembered: Stripe retries a delivery for up to three days, plus a day of margin. */
export const EVENT_RETENTION_MS = 4 * 24 * 60 * 60 * 1000

/** A value now, or later: the SQLite store answers synchronously, a network database would not. */
export type Awaitable<T> = T | Promise<T>

/**
 * Where the server keeps sessions and the ids of events it has seen. Small on purpose, so that
 * another database can implement it; every change an event makes happens in one transaction.
 */
export interface VerificationStore {
  /** The user's most recent session, or null. */
  latestSession(userRef: string): Awaitable<VerificationRecord | null>
  /** The user's most recent session that is `verified` and not redacted, or null. */
  verifiedSession(userRef: string): Awaitable<VerificationRecord | null>
  /** A session by id, or null. */
  getSession(id: string): Awaitable<VerificationRecord | null>
  /** How many sessions the user has had: the attempt number of their next create. */
  countSessions(userRef: string): Awaitable<number>
  /** How many sessions, all users together, were first submitted at or after `from` and before `to` (ms since the epoch). */
  countSubmittedSessions(from: number, to: number): Awaitable<number>
  /** Remembers a session just created; does nothing when an event already brought it. */
  insertSession(session: NewVerificationSession): Awaitable<void>
  /**
   * Records the event id and carries out `planEvent`'s plan for its session in one transaction, or
   * only reports a duplicate; forgets event ids past their retention. Resolves once the transaction
   * is durably committed: a webhook is answered on it.
   */
  recordEvent(event: VerificationEventRecord): Awaitable<RecordOutcome>
  /** Marks an event's hooks as done, so its redeliveries no longer run them. */
  markEventHandled(eventId: string): Awaitable<void>
  /**
   * Counts one use of `key` in the fixed window ending at `windowEnd` (ms since the epoch) unless it
   * already holds `max`; answers whether it was counted. Atomic for every server sharing the store,
   * so two processes allow no more than one; windows ended by `at` are forgotten.
   */
  takeCount(key: string, windowEnd: number, max: number, at: number): Awaitable<boolean>
  /** Gives back one use of `key` in the window ending at `windowEnd` (the work it was counted for failed). */
  releaseCount(key: string, windowEnd: number): Awaitable<void>
  /**
   * The attempt number of a create decided on seeing `seenSessionId` as the user's answering session
   * (null: none). Every create decided on the same view, in any process, gets the same number (so the
   * same idempotency key and the same Stripe session); a create decided on a newer view gets the next.
   * A unique constraint decides, so no lock is held while Stripe is called.
   */
  claimAttempt(userRef: string, seenSessionId: string | null): Awaitable<number>
  /** Resolves once the database answered a read and, where writes take their own path, a write's turn: a health check. */
  ping(): Awaitable<void>
  close(): Awaitable<void>
}

/** Every call of a store, by name: for the stores that forward each call elsewhere (a store opened later, one in another process). */
export const STORE_METHODS = [
  'latestSession',
  'verifiedSession',
  'getSession',
  'countSessions',
  'countSubmittedSessions',
  'insertSession',
  'recordEvent',
  'markEventHandled',
  'takeCount',
  'releaseCount',
  'claimAttempt',
  'ping',
  'close',
] as const satisfies readonly (keyof VerificationStore)[]

/** Reads what `answeringSession` needs from the store and applies it. */
export async function readAnsweringSession(store: VerificationStore, userRef: string): Promise<VerificationRecord | null> {
  const [latest, verified] = await Promise.all([store.latestSession(userRef), store.verifiedSession(userRef)])
  return answeringSession({latest, verified})
}
