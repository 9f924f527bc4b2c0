/**
 * Which of a user's sessions answers for them, and what a create does about it: the rules the status
 * and create routes share, for every store. A verified person stays verified: no later session,
 * abandoned or failed, hides that they passed, and no create asks them to verify again.
 */
import type {SessionConflictCode, SessionStatusAnswer} from '../../protocol/wire.js'
import type {VerificationRecord} from './records.js'

/** What a store reads of a user's sessions to decide which one answers for them. */
export interface UserSessions {
  /** The user's most recent session. */
  latest: VerificationRecord | null
  /** The user's most recent session that is verified and not redacted. */
  verified: VerificationRecord | null
}

/**
 * The session that answers for a user: a verified one (whose data was not redacted) wins over any
 * later one; otherwise the newest. Null when the user has none.
 */
export function answeringSession({latest, verified}: UserSessions): VerificationRecord | null {
  if (verified && verified.status === 'verified' && !verified.redacted) return verified
  return latest
}

/** What the create rule reads of a session. */
export type CreateRuleSession = Pick<VerificationRecord, 'status' | 'redacted'>

/**
 * What a create does for a user whose answering session, `S`, stands as given (as Stripe has it,
 * when it is unfinished).
 */
export type CreatePlan<S extends CreateRuleSession = CreateRuleSession> =
  /** No session, or one that can never be used again (canceled, redacted): create a new one. */
  | {kind: 'create'}
  /** The session still waits for the person: hand out its fresh client secret. */
  | {kind: 'reuse'; session: S}
  /** Nothing to create: the person is verified, or Stripe is checking what they submitted. Answers 409. */
  | {kind: 'conflict'; code: SessionConflictCode; session: S}

/** The create rule: a new session only when there is none, or the answering one is canceled or redacted. */
export function planCreate<S extends CreateRuleSession>(session: S | null): CreatePlan<S> {
  if (!session || session.redacted) return {kind: 'create'}
  switch (session.status) {
    case 'canceled':
      return {kind: 'create'}
    case 'requires_input':
      return {kind: 'reuse', session}
    case 'processing':
      return {kind: 'conflict', code: 'verification_processing', session}
    case 'verified':
      return {kind: 'conflict', code: 'already_verified', session}
  }
}

/** A session as the API shows it to its user: id, status and error code, nothing personal. */
export function sessionStatusAnswer(session: Pick<VerificationRecord, 'id' | 'status' | 'lastErrorCode'>): SessionStatusAnswer {
  return {id: session.id, status: session.status, last_error: session.lastErrorCode ? {code: session.lastErrorCode} : null}
}
