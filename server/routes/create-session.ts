import {Hono} from 'hono'
import {ApiError} from '../http/api-error.js'
import {hostedReturnUrl} from '../http/return-url.js'
import {signedInUser, type SignedInEnv} from '../http/signed-in-user.js'
import {VerificationSessions} from '../stripe/verification-sessions.js'
import {CreateFlow} from './create-flow.js'
import {CreateLimits} from './create-limits.js'
import type {ResolvedDeps} from './deps.js'
import {CREATE_SESSION_PATH, INTENT_HEADER, type CreateSessionAnswer, type HostedSessionAnswer, type SessionConflictAnswer, type SessionConflictCode} from '../../protocol/wire.js'

/** What the 409 answers say, by their code. */
const CONFLICT_MESSAGES: Readonly<Record<SessionConflictCode, string>> = {
  already_verified: 'Your identity is already verified',
  verification_processing: 'Your documents are being checked; you will know the result shortly',
}

/** An empty body (any content type) or JSON; its content is ignored, the server's options decide. */
function checkBody(text: string, contentType: string | undefined): void {
  if (text.length === 0) return
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase()
  if (mediaType !== 'application/json') {
    throw new ApiError(415, 'The request body must be JSON (application/json) or empty', 'unsupported_media_type')
  }
  try {
    JSON.parse(text)
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON', 'invalid_json')
  }
}

/**
 * `POST /create-verification-session`: a client secret for the signed-in user and nothing else (or,
 * asked for the hosted flow, the hosted page's URL), or 409 with the session that answers for them
 * when they are verified or being checked.
 */
export function createSessionRoute(deps: ResolvedDeps): Hono<SignedInEnv> {
  // Limits and attempts are kept in the store, so every server process sharing it counts together;
  // while it fails, creates answer 503 with Retry-After (see `answeringUnavailable`).
  const {store} = deps
  const limits = new CreateLimits(store, deps)
  const sessions = new VerificationSessions(deps.stripe, deps.logger, deps.sessionOptions)
  const flow = new CreateFlow({store, sessions, limits, logger: deps.logger})

  const route = new Hono<SignedInEnv>()
  route.use(CREATE_SESSION_PATH, signedInUser(deps, {unauthenticated: 'Sign in to verify your identity', maxBodyBytes: deps.limits.maxBodyBytes}))
  route.post(CREATE_SESSION_PATH, async (c) => {
    const {userRef, body} = c.var
    checkBody(body, c.req.header('content-type'))
    // Every request counts against its user, whatever it answers: one made ahead of a click against
    // the user's prefetch allowance, so that hovering on many pages never uses up the clicks.
    await limits.countRequest(userRef, c.req.header(INTENT_HEADER) === 'prefetch')
    const returnUrl = hostedReturnUrl(c, deps.origins)
    const outcome = await flow.outcome(userRef, deps.clientAddress(c) ?? 'unknown', returnUrl)
    if (outcome.kind === 'conflict') {
      const {code, session} = outcome
      return c.json<SessionConflictAnswer>({error: {message: CONFLICT_MESSAGES[code], code}, session}, 409)
    }
    if (outcome.kind === 'url') return c.json<HostedSessionAnswer>({url: outcome.url})
    // On the emulator, the page needs its Stripe.js double to open the emulator's client secrets.
    const stripeJs = deps.stripeJsUrl ? {stripe_js: deps.stripeJsUrl} : {}
    return c.json<CreateSessionAnswer>({client_secret: outcome.clientSecret, ...stripeJs})
  })
  return route
}
