import {isFinalStatus, type VerificationStatus} from '../../protocol/verification-status.js'
import type {VerificationEventRecord} from './records.js'

/** What a store holds of a session when one of its events arrives. */
export interface StoredSession {
  status: VerificationStatus
  lastErrorCode: string | null
  /** `created` (Unix seconds) of the event that set `status`; null when set by the create call. */
  statusEventCreated: number | null
  /** When the session was first shown submitted, ms since the epoch; null when not yet. */
  submittedAt: number | null
}

/** A session an event brings to the store for the first time, as the store writes it. */
export interface PlannedSession {
  id: string
  userRef: string
  status: VerificationStatus
  lastErrorCode: string | null
  redacted: boolean
  /** `created` (Unix seconds) of the event that brought it. */
  statusEventCreated: number
  /** Stripe's `created`, ms since the epoch. */
  createdAt: number
  /** When the session was submitted, ms since the epoch, if the event shows it submitted; else null. */
  submittedAt: number | null
}

/**
 * What a store does with a verified event, in the transaction that also remembers the event id
 * (every kind but `tie` remembers it). `redact` marks the stored session redacted, status unchanged;
 * `submittedAt`, when not null, is written as the session's submission time (the earliest event that
 * shows it submitted, whatever the order the events arrive in).
 */
export type EventPlan =
  /** The store has no such session: insert it (created elsewhere, or its create call still on the way). */
  | {kind: 'insert'; session: PlannedSession}
  /** The event is the newest word on the status: write it, with the event's `created`. */
  | {
      kind: 'apply'
      status: VerificationStatus
      lastErrorCode: string | null
      statusEventCreated: number
      redact: boolean
      submittedAt: number | null
    }
  /** The stored status stands (the event is older, or changes no status). */
  | {kind: 'ignore'; redact: boolean; submittedAt: number | null}
  /** Same second, other status: change nothing, not even the event id; record again with `resolved` from Stripe. */
  | {kind: 'tie'}
  /** No stored session and no user named: nobody can be shown it, remember the event id only. */
  | {kind: 'orphan'}

/** Statuses a session reaches only once the person submitted it: the verifications Stripe bills. */
const SUBMITTED_STATUSES: ReadonlySet<VerificationStatus> = new Set(['processing', 'verified'])

/**
 * When an event shows its session submitted (the status it announces, the session it carries or
 * Stripe's resolved status is `processing` or `verified`), the event's time in ms; else null.
 */
function submissionShownBy(event: VerificationEventRecord): number | null {
  const shown = [event.status, event.session.status, event.resolved?.status]
  return shown.some((status) => status && SUBMITTED_STATUSES.has(status)) ? event.created * 1000 : null
}

/**
 * The rules of recording a session's event, for every store: given what the store holds of the
 * session (null for nothing) and the event, what to write. Stripe delivers events late, twice and out
 * of order, so the newest event wins and a final status is never left; events created in the same
 * second cannot be ordered, so they `tie` until Stripe's current status is given as `event.resolved`.
 * A redacted event marks the session and changes no status. The earliest event that shows the session
 * submitted gives its submission time, even one too old to change the status.
 */
export function planEvent(stored: StoredSession | null, event: VerificationEventRecord): EventPlan {
  const {session, resolved} = event
  if (!stored) {
    if (session.userRef === null) return {kind: 'orphan'}
    return {
      kind: 'insert',
      session: {
        id: session.id,
        userRef: session.userRef,
        status: resolved?.status ?? event.status ?? session.status,
        lastErrorCode: resolved ? resolved.lastErrorCode : session.lastErrorCode,
        redacted: event.redacted,
        statusEventCreated: event.created,
        createdAt: session.createdAt,
        submittedAt: submissionShownBy(event),
      },
    }
  }
  const redact = event.redacted
  // The earliest event showing it submitted wins, whichever arrives first: events of one session
  // handled at once by several servers give the same time as one after the other.
  const shown = submissionShownBy(event)
  const submittedAt = shown !== null && (stored.submittedAt === null || shown < stored.submittedAt) ? shown : null
  const ignore: EventPlan = {kind: 'ignore', redact, submittedAt}
  if (event.status === null) return ignore
  const apply = (status: VerificationStatus, lastErrorCode: string | null): EventPlan => ({
    kind: 'apply',
    status,
    lastErrorCode,
    statusEventCreated: event.created,
    redact,
    submittedAt,
  })
  if (isFinalStatus(stored.status)) return ignore
  // A final status is the last one a session ever has: whatever the clock says, it is the newest.
  if (isFinalStatus(event.status)) return apply(event.status, session.lastErrorCode)
  if (stored.statusEventCreated === null || event.created > stored.statusEventCreated) {
    return apply(event.status, session.lastErrorCode)
  }
  if (event.created < stored.statusEventCreated) return ignore
  if (event.status === stored.status && session.lastErrorCode === stored.lastErrorCode) return ignore
  return resolved ? apply(resolved.status, resolved.lastErrorCode) : {kind: 'tie'}
}
