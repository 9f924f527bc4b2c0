import type {VerificationStatus} from '../protocol/verification-status.js'

/** The element's own error codes; any other code is Stripe's, passed through. */
export type ElementErrorCode = 'session_failed' | 'network' | 'stripe_unavailable' | 'config' | 'insecure_context' | 'camera_blocked'

/** The error codes Stripe's modal is documented to return. */
export type StripeErrorCode = 'consent_declined' | 'device_unsupported' | 'under_supported_age' | 'phone_otp_declined' | 'email_verification_declined'

/** Every `identity-verify-error` code: the element's, Stripe's, or another code Stripe.js returned. */
export type ErrorCode = ElementErrorCode | StripeErrorCode | (string & {})

// Where Stripe's modal is read, in the module that opens it.
export {SESSION_CANCELLED} from './modal.js'

/** Detail of `identity-verify-open`, `identity-verify-submitted` and `identity-verify-cancel`. */
export interface SessionDetail {
  /** The VerificationSession id, `vs_…`. */
  readonly sessionId: string
}

/** Detail of `identity-verify-error`. */
export interface ErrorDetail {
  readonly code: ErrorCode
  /** A sentence for the user, in the element's language. */
  readonly message: string
  /** Present once the session exists. */
  readonly sessionId?: string
  /** The endpoint's HTTP status, with `session_failed`. */
  readonly status?: number
}

/** Detail of `identity-verify-status`. */
export interface StatusDetail {
  readonly sessionId: string
  /** The server-confirmed status. */
  readonly status: VerificationStatus
  /** Why a session went back to `requires_input`, or null. */
  readonly lastError: {readonly code: string} | null
}

const init = <D>(detail: D, cancelable = false): CustomEventInit<D> => ({detail, bubbles: true, composed: true, cancelable})

/** Before any request; `preventDefault()` stops the flow. */
export class IdentityVerifyStartEvent extends CustomEvent<Record<string, never>> {
  constructor() {
    super('identity-verify-start', init({}, true))
  }
}

/** Stripe's modal was opened. */
export class IdentityVerifyOpenEvent extends CustomEvent<SessionDetail> {
  constructor(detail: SessionDetail) {
    super('identity-verify-open', init(detail))
  }
}

/** The user submitted their documents. */
export class IdentityVerifySubmittedEvent extends CustomEvent<SessionDetail> {
  constructor(detail: SessionDetail) {
    super('identity-verify-submitted', init(detail))
  }
}

/** The user closed the modal without submitting. */
export class IdentityVerifyCancelEvent extends CustomEvent<SessionDetail> {
  constructor(detail: SessionDetail) {
    super('identity-verify-cancel', init(detail))
  }
}

/** Anything failed. */
export class IdentityVerifyErrorEvent extends CustomEvent<ErrorDetail> {
  constructor(detail: ErrorDetail) {
    super('identity-verify-error', init(detail))
  }
}

/** The server-confirmed status changed (with `status-endpoint`). */
export class IdentityVerifyStatusEvent extends CustomEvent<StatusDetail> {
  constructor(detail: StatusDetail) {
    super('identity-verify-status', init(detail))
  }
}

/** The element's events by type: what `addEventListener` and the framework typings know of them. */
export interface IdentityVerifyEventMap {
  'identity-verify-start': IdentityVerifyStartEvent
  'identity-verify-open': IdentityVerifyOpenEvent
  'identity-verify-submitted': IdentityVerifySubmittedEvent
  'identity-verify-cancel': IdentityVerifyCancelEvent
  'identity-verify-error': IdentityVerifyErrorEvent
  'identity-verify-status': IdentityVerifyStatusEvent
}

/**
 * A listener for each event, named `on` + its type as written (`onidentity-verify-status`): the props
 * through which React 19 and Svelte 5 add a custom element's event listeners.
 */
export type IdentityVerifyEventListeners = {
  [Type in keyof IdentityVerifyEventMap as `on${Type}`]?: (event: IdentityVerifyEventMap[Type]) => void
}

declare global {
  interface GlobalEventHandlersEventMap extends IdentityVerifyEventMap {}
}
