/**
 * The VerificationSession state machine, written once: the emulator enforces it, the server uses it
 * to decide which webhook wins, and the widget shares its status names.
 *
 *   requires_input ──submit──▶ processing ──▶ verified
 *        ▲   │                     │
 *        │   └──cancel──▶ canceled │
 *        └─────── last_error ◀─────┘
 */

/** Every status a VerificationSession can have, as Stripe names them. */
export const VERIFICATION_STATUSES = ['requires_input', 'processing', 'verified', 'canceled'] as const
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number]

/** Statuses that never change again (redaction erases data but keeps the status). */
export const FINAL_STATUSES: ReadonlySet<VerificationStatus> = new Set(['verified', 'canceled'])

/** Which status may follow which. */
const TRANSITIONS: Readonly<Record<VerificationStatus, readonly VerificationStatus[]>> = {
  requires_input: ['processing', 'canceled'],
  processing: ['verified', 'requires_input'],
  verified: [],
  canceled: [],
}

/** Whether a session in `from` may move to `to`. */
export function canTransition(from: VerificationStatus, to: VerificationStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** Whether a status is final. */
export function isFinalStatus(status: VerificationStatus): boolean {
  return FINAL_STATUSES.has(status)
}

/** Statuses from which a session may be canceled. */
export const CANCELABLE_STATUSES: ReadonlySet<VerificationStatus> = new Set(['requires_input'])

/** Statuses from which a session may be redacted. */
export const REDACTABLE_STATUSES: ReadonlySet<VerificationStatus> = new Set(['requires_input', 'verified'])

/** The webhook event types of a VerificationSession. */
export const VERIFICATION_EVENT_TYPES = {
  created: 'identity.verification_session.created',
  processing: 'identity.verification_session.processing',
  verified: 'identity.verification_session.verified',
  requires_input: 'identity.verification_session.requires_input',
  canceled: 'identity.verification_session.canceled',
  redacted: 'identity.verification_session.redacted',
} as const
export type VerificationEventType = (typeof VERIFICATION_EVENT_TYPES)[keyof typeof VERIFICATION_EVENT_TYPES]

/** The status a session has when an event of this type is emitted, or null for `redacted`/unknown types. */
export function statusOfEvent(type: string): VerificationStatus | null {
  switch (type) {
    case VERIFICATION_EVENT_TYPES.created:
    case VERIFICATION_EVENT_TYPES.requires_input:
      return 'requires_input'
    case VERIFICATION_EVENT_TYPES.processing:
      return 'processing'
    case VERIFICATION_EVENT_TYPES.verified:
      return 'verified'
    case VERIFICATION_EVENT_TYPES.canceled:
      return 'canceled'
    default:
      return null
  }
}

/** The event a session emits on entering a status (`requires_input` after processing, not at creation). */
export function eventTypeForStatus(status: VerificationStatus): VerificationEventType {
  return VERIFICATION_EVENT_TYPES[status]
}

/** Whether a string is one of the statuses. */
export function isVerificationStatus(value: unknown): value is VerificationStatus {
  return typeof value === 'string' && (VERIFICATION_STATUSES as readonly string[]).includes(value)
}
