/**
 * What travels between the element, the server and Stripe (or the emulator) over HTTP: the answers'
 * shapes, the default paths, and the one fact about client secrets that every side relies on.
 */
import type {VerificationStatus} from './verification-status.js'

/** The server's route that creates a session, and the element's default `endpoint`. */
export const CREATE_SESSION_PATH = '/create-verification-session'

/** The server's route that answers the signed-in user's latest session. */
export const SESSION_STATUS_PATH = '/verification-session'

/** The server's route that receives Stripe's events. */
export const WEBHOOK_PATH = '/webhook'

/** The server's health check, for load balancers and platforms: 200 when its store answers, else 503. */
export const HEALTH_PATH = '/healthz'

/** The server's setup check for `/embed`: `GET /setup/origin?origin=<origin>` tells whether pages of that one origin may call the server. */
export const SETUP_ORIGIN_PATH = '/setup/origin'

/** `GET /setup/origin` answers this with 200: the origin asked, reduced to scheme, host and port, and whether the server accepts it. */
export interface SetupOriginAnswer {
  origin: string
  allowed: boolean
}

/** `GET /healthz` answers this with 200; a 503 is the usual error answer, code `store_unavailable`. */
export interface HealthAnswer {
  ok: true
}

/**
 * `POST /create-verification-session` answers this and nothing else. `stripe_js` comes only from a
 * server whose Stripe is the local emulator: the URL of the emulator's Stripe.js double, which alone
 * can open the emulator's client secrets. The element loads it only with a `pk_test_…` key.
 */
export interface CreateSessionAnswer {
  client_secret: string
  stripe_js?: string
}

/** Where the emulator serves its Stripe.js double, on its own origin. */
export const STRIPE_JS_DOUBLE_PATH = '/stripe.js'

/**
 * The request header that asks `POST /create-verification-session` for Stripe's hosted page instead
 * of the modal; its value is the page to come back to, the session's `return_url`. The server accepts
 * a page on its own origin or an allowed one, and answers `HostedSessionAnswer`.
 */
export const RETURN_URL_HEADER = 'Identity-Verify-Return-Url'

/**
 * The request header, with the value `prefetch`, that marks a `POST /create-verification-session` made
 * ahead of a click (the element's prefetch on a sign of intent): the server counts it against the
 * user's prefetch allowance, apart from their clicks'.
 */
export const INTENT_HEADER = 'Identity-Verify-Intent'

/** `POST /create-verification-session` asked for the hosted flow answers this and nothing else: the session's `url`. */
export interface HostedSessionAnswer {
  url: string
}

/** `GET /verification-session`: the user's latest session, never its secret or verified outputs. */
export interface SessionStatusAnswer {
  id: string
  status: VerificationStatus
  last_error: {code: string} | null
}

/** Every non-2xx JSON answer of the server. */
export interface ErrorAnswer {
  error: {message: string; code?: string}
}

/** What separates a session's id from the rest of its client secret: `vs_…_secret_…`, as Stripe forms them. */
const CLIENT_SECRET_SEPARATOR = '_secret_'

/** A session's client secret: its id, the separator, then a random part. */
export function clientSecretOf(sessionId: string, random: string): string {
  return sessionId + CLIENT_SECRET_SEPARATOR + random
}

/** The `vs_…` id of the session a client secret belongs to. */
export function sessionIdOf(clientSecret: string): string {
  return clientSecret.split(CLIENT_SECRET_SEPARATOR)[0]!
}

// In a file of its own, which the element's main script imports alone: what the element needs of this
// file loads with the click's module, on the first sign of intent.
export {VISITOR_CREDENTIAL_HEADER} from './visitor-header.js'

/**
 * Why a create makes no new session for a user whose session already answers for them: verified
 * (nothing left to do) or processing (Stripe is checking the documents). Both answer 409.
 */
export const SESSION_CONFLICT_CODES = ['already_verified', 'verification_processing'] as const
export type SessionConflictCode = (typeof SESSION_CONFLICT_CODES)[number]

/** The 409 answer of a create: the error, and the session that answers for the user. */
export interface SessionConflictAnswer {
  error: {message: string; code: SessionConflictCode}
  session: SessionStatusAnswer
}
