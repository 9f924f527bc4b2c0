import {createHash} from 'node:crypto'
import {Hono} from 'hono'
import type Stripe from 'stripe'
import {ApiError} from './api-error.js'
import type {ResolvedDeps} from './deps.js'
import {createRateLimiter} from './rate-limit.js'
import {signedInUser, type SignedInEnv} from './signed-in-user.js'
import {singleFlight} from './single-flight.js'
import {isFinalStatus, isVerificationStatus} from '../protocol/verification-status.js'
import {CREATE_SESSION_PATH, type CreateSessionAnswer} from '../protocol/wire.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** Every failure to reach Stripe looks the same from outside: nothing of Stripe's answer leaks. */
function stripeUnavailable(): ApiError {
  return new ApiError(502, 'Verification service unavailable', 'stripe_unavailable')
}

function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'Too many verification attempts, try again later', 'rate_limited', {
    'Retry-After': String(retryAfterSeconds),
  })
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

/** `POST /create-verification-session`: a client secret for the signed-in user, and nothing else. */
export function createSessionRoute(deps: ResolvedDeps): Hono<SignedInEnv> {
  const {stripe, store, logger, limits, now} = deps
  const perUser = createRateLimiter(limits.perUser, now)
  const perIp = createRateLimiter(limits.perIp, now)
  const daily = createRateLimiter({max: limits.dailyCreates, windowMs: DAY_MS}, now)
  const inFlight = new Map<string, Promise<string>>()

  /** The client secret of the user's open session, or of a new one made for a caller at `ip`. */
  async function clientSecretFor(userRef: string, ip: string): Promise<string> {
    const latest = await store.latestSession(userRef)
    // The store may lag behind Stripe either way (a webhook is still on the way), so Stripe decides
    // whether the latest unfinished session is still open.
    if (latest && !isFinalStatus(latest.status) && !latest.redacted) {
      const session = await callStripe(() => stripe.identity.verificationSessions.retrieve(latest.id))
      if (session.status === 'requires_input' && session.client_secret) {
        logger.info('verification session reused', {session: session.id})
        return session.client_secret
      }
    }
    // New sessions cost money: they count against the caller's address and the daily cap; a
    // reused one does not.
    const ipVerdict = perIp.check(ip)
    if (!ipVerdict.allowed) throw tooManyRequests(ipVerdict.retryAfterSeconds)
    const dailyVerdict = daily.take('all')
    if (!dailyVerdict.allowed) {
      logger.warn('daily verification session cap reached', {cap: limits.dailyCreates})
      throw tooManyRequests(dailyVerdict.retryAfterSeconds)
    }
    perIp.take(ip)
    // The same user and attempt give the same key, so retries and other server processes get the
    // session Stripe already created instead of paying for another.
    const attempt = (await store.countSessions(userRef)) + 1
    const idempotencyKey = `identity-verify-create-${createHash('sha256').update(`${userRef}\n${attempt}`).digest('hex')}`
    const session = await callStripe(() =>
      stripe.identity.verificationSessions.create(
        {
          ...deps.sessionOptions,
          type: 'document',
          client_reference_id: userRef,
          metadata: {user_id: userRef},
        },
        {idempotencyKey},
      ),
    )
    if (!session.client_secret || !isVerificationStatus(session.status)) {
      logger.error('Stripe answered a session without a client secret', {session: session.id})
      throw stripeUnavailable()
    }
    await store.insertSession({id: session.id, userRef, status: session.status, createdAt: session.created * 1000})
    logger.info('verification session created', {session: session.id, attempt})
    return session.client_secret
  }

  async function callStripe<T>(call: () => Promise<Stripe.Response<T>>): Promise<T> {
    try {
      return await call()
    } catch (err) {
      const stripeError = err as {type?: string; code?: string; statusCode?: number; requestId?: string}
      logger.error('Stripe request failed', {
        type: stripeError.type,
        code: stripeError.code,
        statusCode: stripeError.statusCode,
        requestId: stripeError.requestId,
      })
      throw stripeUnavailable()
    }
  }

  const route = new Hono<SignedInEnv>()
  route.use(
    CREATE_SESSION_PATH,
    signedInUser(deps, {unauthenticated: 'Sign in to verify your identity', maxBodyBytes: limits.maxBodyBytes}),
  )
  route.post(CREATE_SESSION_PATH, async (c) => {
    const {userRef, body} = c.var
    checkBody(body, c.req.header('content-type'))
    const userVerdict = perUser.take(userRef)
    if (!userVerdict.allowed) throw tooManyRequests(userVerdict.retryAfterSeconds)
    const ip = deps.clientAddress(c) ?? 'unknown'
    // A double click or a second tab joins the request already running for this user.
    const clientSecret = await singleFlight(inFlight, userRef, () => clientSecretFor(userRef, ip))
    return c.json<CreateSessionAnswer>({client_secret: clientSecret})
  })
  return route
}
