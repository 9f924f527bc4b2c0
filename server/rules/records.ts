/**
 * The facts the server records about sessions and their events, as every store and rule sees them.
 */
import type {VerificationStatus} from '../../protocol/verification-status.js'

/**
 * What the server remembers of one VerificationSession: references and statuses only. Never a client
 * secret, a URL or anything Stripe verified about the person.
 */
export interface VerificationRecord {
  /** The session's `vs_…` id. */
  id: string
  /** The site's reference for the user who verifies. */
  userRef: string
  status: VerificationStatus
  /** Stripe's `last_error.code`, e.g. `document_expired`; null when there is none. */
  lastErrorCode: string | null
  /** Whether Stripe redacted the session's data. */
  redacted: boolean
  /** When Stripe created the session, ms since the epoch. */
  createdAt: number
  /**
   * When the person first submitted it (the first event showing it `processing` or `verified`: what
   * Stripe bills), ms since the epoch; null until then.
   */
  submittedAt: number | null
  /** When this record last changed, ms since the epoch. */
  updatedAt: number
}

/** A session just created through the server. */
export interface NewVerificationSession {
  id: string
  userRef: string
  status: VerificationStatus
  /** Stripe's `created`, ms since the epoch. */
  createdAt: number
}

/** A verified webhook event about a session, ready to be recorded. */
export interface VerificationEventRecord {
  /** The `evt_…` id, remembered so a redelivery changes nothing. */
  eventId: string
  type: string
  /** The event's `created`, Unix seconds: what orders a session's events. */
  created: number
  /** When the server received it, ms since the epoch. */
  receivedAt: number
  /** The session as the event carries it. */
  session: {
    id: string
    /** From `metadata.user_id` or `client_reference_id`; null when the session names no user. */
    userRef: string | null
    status: VerificationStatus
    lastErrorCode: string | null
    /** Stripe's `created`, ms since the epoch. */
    createdAt: number
  }
  /** The status this event announces; null for events that change no status (`…redacted`). */
  status: VerificationStatus | null
  /** Whether the event says the session's data was redacted. */
  redacted: boolean
  /** The session's status fetched from Stripe, given when events of the same second disagree. */
  resolved?: {status: VerificationStatus; lastErrorCode: string | null}
  /** Nothing is left to run for the event once recorded (no hooks): record it as handled at once. */
  handled?: boolean
}

/** What recording an event did. */
export type RecordOutcome =
  /** First time or redelivered: `handled` says whether the hooks already ran to completion for it. */
  | {kind: 'recorded' | 'duplicate'; handled: boolean; session: VerificationRecord | null}
  /** Nothing recorded: the event ties with the one that set the status; record again with `resolved`. */
  | {kind: 'tie'}
