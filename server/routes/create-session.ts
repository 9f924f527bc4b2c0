import {Hono} from 'hono'
import type Stripe from 'stripe'
import {addressGroup} from '../rules/address-group.js'
import {ApiError} from '../http/api-error.js'
import {planCreate, sessionStatusAnswer} from '../rules/answering-session.js'
import {readAnsweringSession} from '../store/store.js'
import type {ResolvedDeps} from './deps.js'
import {hostedReturnUrl} from '../http/return-url.js'
import {secondsUntilWindowEnds, storeRateLimiter} from './rate-limit.js'
import {signedInUser, type SignedInEnv} from '../http/signed-in-user.js'
import {singleFlight} from './single-flight.js'
import {answeringUnavailable} from './store-unavailable.js'
import type {VerificationRecord} from '../rules/records.js'
import {isFinalStatus, isVerificationStatus} from '../../protocol/verification-status.js'
import {
  CREATE_SESSION_PATH,
  type CreateSessionAnswer,
  type HostedSessionAnswer,
  type SessionConflictAnswer,
  type SessionConflictCode,
  type SessionStatusAnswer,
} from '../../protocol/wire.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** What the 409 answers say, by their code. */
const CONFLICT_MESSAGES: Readonly<Record<SessionConflictCode, string>> = {
  already_verified: 'Your identity is already verified',
  verification_processing: 'Your documents are being checked; you will know the result shortly',
}

/** What a create answers: the client secret of a session to open (or its hosted page's URL), or the session that makes one needless. */
type CreateOutcome =
  | {kind: 'client_secret'; clientSecret: string}
  | {kind: 'url'; url: string}
  | {kind: 'conflict'; code: SessionConflictCode; session: SessionStatusAnswer}

/** What the create rule reads of a session, with the client secret Stripe hands out for an open one. */
type SessionView = Pick<VerificationRecord, 'id' | 'status' | 'lastErrorCode' | 'redacted'> & {clientSecret: string | null}

/** Every failure to reach Stripe looks the same from outside: nothing of Stripe's answer leaks. */
function stripeUnavailable(): ApiError {
  return new ApiError(502, 'Verification service unavailable', 'stripe_unavailable')
}

/** The SHA-256 digest of `text`, in hex (WebCrypto, so it runs on every runtime). */
async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
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

/**
 * `POST /create-verification-session`: a client secret for the signed-in user and nothing else, or
 * 409 with the session that answers for them when they are verified or being checked.
 */
export function createSessionRoute(deps: ResolvedDeps): Hono<SignedInEnv> {
  const {stripe, logger, limits, now} = deps
  // Limits and attempts are kept in the store, so every server process sharing it counts together;
  // while it fails, creates answer 503 with Retry-After.
  const store = answeringUnavailable(deps.store, logger)
  const perUser = storeRateLimiter(store, 'user', limits.perUser, now)
  const perIp = storeRateLimiter(store, 'ip', limits.perIp, now)
  // Within a process a double click joins the running create; across processes, `claimAttempt`.
  const inFlight = new Map<string, Promise<CreateOutcome>>()

  /** Stripe's current view of a session. */
  async function sessionAtStripe(id: string): Promise<SessionView> {
    const session = await callStripe(() => stripe.identity.verificationSessions.retrieve(id))
    if (!isVerificationStatus(session.status)) {
      logger.error('Stripe answered a session with an unknown status', {session: session.id})
      throw stripeUnavailable()
    }
    return {
      id: session.id,
      status: session.status,
      lastErrorCode: session.last_error?.code ?? null,
      redacted: Boolean(session.redaction),
      clientSecret: session.client_secret,
    }
  }

  /** What a create answers the user, caller at `ip`: see `planCreate`; with `returnUrl`, the hosted flow. */
  async function createFor(userRef: string, ip: string, returnUrl?: string): Promise<CreateOutcome> {
    const answering = await readAnsweringSession(store, userRef)
    // The store may lag behind Stripe either way (a webhook is still on the way), so Stripe says
    // where an unfinished session stands; a verified, canceled or redacted one never changes again.
    const session: SessionView | null =
      answering && !isFinalStatus(answering.status) && !answering.redacted
        ? await sessionAtStripe(answering.id)
        : answering && {...answering, clientSecret: null}
    const plan = planCreate(session)
    // The hosted page returns where the session says, set when it is created: a new one is made for
    // it rather than an open one reused (Stripe bills submitted sessions, not created ones).
    if (returnUrl && plan.kind !== 'conflict') return {kind: 'url', url: await createHostedSession(userRef, ip, answering?.id ?? null, returnUrl)}
    switch (plan.kind) {
      case 'conflict':
        logger.info('verification session not created', {session: plan.session.id, reason: plan.code})
        return {kind: 'conflict', code: plan.code, session: sessionStatusAnswer(plan.session)}
      case 'reuse': {
        const {id, clientSecret} = plan.session
        if (!clientSecret) {
          logger.error('Stripe answered an open session without a client secret', {session: id})
          throw stripeUnavailable()
        }
        logger.info('verification session reused', {session: id})
        return {kind: 'client_secret', clientSecret}
      }
      case 'create':
        return {kind: 'client_secret', clientSecret: (await createSession(userRef, ip, answering?.id ?? null)).client_secret!}
    }
  }

  /** A new session's hosted page URL, which returns to `returnUrl`; `seenSessionId` as for `createSession`. */
  async function createHostedSession(userRef: string, ip: string, seenSessionId: string | null, returnUrl: string): Promise<string> {
    const {id, url} = await createSession(userRef, ip, seenSessionId, returnUrl)
    if (!url) {
      logger.error('Stripe answered a session without a url', {session: id})
      throw stripeUnavailable()
    }
    return url
  }

  /**
   * A new session, with its client secret, within today's submissions and the caller's address limit;
   * `seenSessionId` is the answering session the decision to create was made on (null: none).
   */
  async function createSession(userRef: string, ip: string, seenSessionId: string | null, returnUrl?: string): Promise<Stripe.Identity.VerificationSession> {
    // Stripe bills submitted sessions: once today's reach the cap, nobody starts a new one until the
    // next UTC day. Creates alone cost nothing, so a flood of them blocks nobody.
    const at = now()
    const dayStart = Math.floor(at / DAY_MS) * DAY_MS
    if ((await store.countSubmittedSessions(dayStart, dayStart + DAY_MS)) >= limits.dailySubmissions) {
      logger.warn('daily verification submissions cap reached', {cap: limits.dailySubmissions})
      throw tooManyRequests(secondsUntilWindowEnds(DAY_MS, at))
    }
    // Reserved before the call, so concurrent requests cannot pass the limit together, and given
    // back when the create fails: failures at Stripe must not lock an address out.
    const reservation = await perIp.take(addressGroup(ip))
    if (!reservation.allowed) throw tooManyRequests(reservation.retryAfterSeconds)
    try {
      // The same user and attempt give the same key, so retries and other server processes that
      // decided on the same view get the session Stripe already created instead of paying for another;
      // a hosted session's key names the page it returns to as well.
      const attempt = await store.claimAttempt(userRef, seenSessionId)
      const idempotencyKey = `identity-verify-create-${await sha256Hex(`${userRef}\n${attempt}${returnUrl ? `\n${returnUrl}` : ''}`)}`
      const session = await callStripe(() =>
        stripe.identity.verificationSessions.create(
          {
            ...deps.sessionOptions,
            type: 'document',
            client_reference_id: userRef,
            metadata: {user_id: userRef},
            ...(returnUrl && {return_url: returnUrl}),
          },
          {idempotencyKey},
        ),
      )
      if (!session.client_secret || !isVerificationStatus(session.status)) {
        logger.error('Stripe answered a session without a client secret', {session: session.id})
        throw stripeUnavailable()
      }
      await store.insertSession({id: session.id, userRef, status: session.status, createdAt: session.created * 1000})
      logger.info('verification session created', {session: session.id, attempt, hosted: Boolean(returnUrl)})
      return session
    } catch (err) {
      await reservation.release().catch(() => {}) // the store failing too: the count lapses with its window
      throw err
    }
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
    // Every request counts against its user, whatever it answers.
    const userVerdict = await perUser.take(userRef)
    if (!userVerdict.allowed) throw tooManyRequests(userVerdict.retryAfterSeconds)
    const ip = deps.clientAddress(c) ?? 'unknown'
    const returnUrl = hostedReturnUrl(c, deps.origins)
    // A double click or a second tab joins the request already running for this user and flow.
    const flight = returnUrl ? `${userRef}\n${returnUrl}` : userRef
    const outcome = await singleFlight(inFlight, flight, () => createFor(userRef, ip, returnUrl))
    if (outcome.kind === 'conflict') {
      const {code, session} = outcome
      return c.json<SessionConflictAnswer>({error: {message: CONFLICT_MESSAGES[code], code}, session}, 409)
    }
    if (outcome.kind === 'url') return c.json<HostedSessionAnswer>({url: outcome.url})
    return c.json<CreateSessionAnswer>({client_secret: outcome.clientSecret})
  })
  return route
}
