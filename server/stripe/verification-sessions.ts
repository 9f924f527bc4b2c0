import type Stripe from 'stripe'
import type {Logger} from '../log/logger.js'
import type {VerificationRecord} from '../rules/records.js'
import {isVerificationStatus, type VerificationStatus} from '../../protocol/verification-status.js'

/** The server's own choices for every session it creates; a client's request body never changes them. */
export type VerificationSessionOptions = Pick<Stripe.Identity.VerificationSessionCreateParams, 'options' | 'return_url' | 'provided_details'>

/**
 * Stripe could not be reached, refused the call or answered something unusable. Every such failure
 * looks the same from outside: the log has Stripe's error type, code and request id, the caller
 * nothing of Stripe's answer.
 */
export class StripeUnavailableError extends Error {
  constructor() {
    super('Verification service unavailable')
  }
}

/** A session as Stripe has it now, with the client secret Stripe hands out for an open one. */
export type StripeSessionView = Pick<VerificationRecord, 'id' | 'status' | 'lastErrorCode' | 'redacted'> & {clientSecret: string | null}

/** A session Stripe just created. */
export interface CreatedSession {
  id: string
  status: VerificationStatus
  /** When Stripe created it, ms since the epoch. */
  createdAt: number
  clientSecret: string
  /** Its hosted page, which returns to the `returnUrl` it was created with. */
  url: string | null
}

/** What a new session is created for. */
export interface SessionRequest {
  /** The user, in `client_reference_id` and `metadata.user_id`. */
  userRef: string
  /** The store's number for the user's view this create was decided on (see `claimAttempt`). */
  attempt: number
  /** The page the hosted flow returns to; none for the modal. */
  returnUrl?: string
}

/** The SHA-256 digest of `text`, in hex (WebCrypto, so it runs on every runtime). */
async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * The idempotency key of a create: the same user, attempt and page give the same key, so retries and
 * other server processes that decided on the same view get the session Stripe already created
 * instead of paying for another. The page is part of it: a modal and a hosted create, or hosted
 * creates for two pages, decided together are different sessions.
 */
async function createIdempotencyKey({userRef, attempt, returnUrl}: SessionRequest): Promise<string> {
  return `identity-verify-create-${await sha256Hex(`${userRef}\n${attempt}${returnUrl ? `\n${returnUrl}` : ''}`)}`
}

/** The VerificationSessions the server reads and creates at Stripe, each failure a `StripeUnavailableError`. */
export class VerificationSessions {
  readonly #stripe: Stripe
  readonly #logger: Logger
  readonly #options: VerificationSessionOptions

  constructor(stripe: Stripe, logger: Logger, options: VerificationSessionOptions) {
    this.#stripe = stripe
    this.#logger = logger
    this.#options = options
  }

  /** Stripe's current view of a session. */
  async retrieve(id: string): Promise<StripeSessionView> {
    const session = await this.#call(() => this.#stripe.identity.verificationSessions.retrieve(id))
    if (!isVerificationStatus(session.status)) {
      this.#logger.error('Stripe answered a session with an unknown status', {session: session.id})
      throw new StripeUnavailableError()
    }
    return {
      id: session.id,
      status: session.status,
      lastErrorCode: session.last_error?.code ?? null,
      redacted: Boolean(session.redaction),
      clientSecret: session.client_secret,
    }
  }

  /** A new session with the server's options, `type: "document"` and the user; a hosted one with its `return_url`. */
  async create(request: SessionRequest): Promise<CreatedSession> {
    const {userRef, returnUrl} = request
    const idempotencyKey = await createIdempotencyKey(request)
    const session = await this.#call(() =>
      this.#stripe.identity.verificationSessions.create(
        {
          ...this.#options,
          type: 'document',
          client_reference_id: userRef,
          metadata: {user_id: userRef},
          ...(returnUrl && {return_url: returnUrl}),
        },
        {idempotencyKey},
      ),
    )
    if (!session.client_secret || !isVerificationStatus(session.status)) {
      this.#logger.error('Stripe answered a session without a client secret', {session: session.id})
      throw new StripeUnavailableError()
    }
    return {id: session.id, status: session.status, createdAt: session.created * 1000, clientSecret: session.client_secret, url: session.url}
  }

  async #call<T>(call: () => Promise<Stripe.Response<T>>): Promise<T> {
    try {
      return await call()
    } catch (err) {
      const stripeError = err as {type?: string; code?: string; statusCode?: number; requestId?: string}
      this.#logger.error('Stripe request failed', {
        type: stripeError.type,
        code: stripeError.code,
        statusCode: stripeError.statusCode,
        requestId: stripeError.requestId,
      })
      throw new StripeUnavailableError()
    }
  }
}
