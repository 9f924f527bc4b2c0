import {isFinalStatus, type VerificationStatus} from '../protocol/verification-status.js'

/** What the store knows about a session's status when one of its events arrives. */
export interface StatusPosition {
  status: VerificationStatus
  lastErrorCode: string | null
  /** `created` (Unix seconds) of the event that set `status`; null when set by the create call. */
  statusEventCreated: number | null
}

/** An event's claim on a session's status. */
export interface StatusClaim {
  status: VerificationStatus
  lastErrorCode: string | null
  /** The event's `created`, Unix seconds. */
  created: number
}

/**
 * Whether an event's status should replace the stored one. Stripe delivers events late, twice and out
 * of order, so the newest event wins and a final status is never left; events created in the same
 * second cannot be ordered, so a `tie` tells the caller to ask Stripe for the session's current status.
 */
export function judgeEvent(current: StatusPosition | null, claim: StatusClaim): 'apply' | 'ignore' | 'tie' {
  if (!current) return 'apply'
  if (isFinalStatus(current.status)) return 'ignore'
  // A final status is the last one a session ever has: whatever the clock says, it is the newest.
  if (isFinalStatus(claim.status)) return 'apply'
  if (current.statusEventCreated === null || claim.created > current.statusEventCreated) return 'apply'
  if (claim.created < current.statusEventCreated) return 'ignore'
  const same = claim.status === current.status && claim.lastErrorCode === current.lastErrorCode
  return same ? 'ignore' : 'tie'
}
