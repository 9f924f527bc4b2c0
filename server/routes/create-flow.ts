import {ApiError} from '../http/api-error.js'
import type {Logger} from '../log/logger.js'
import {planCreate, sessionStatusAnswer} from '../rules/answering-session.js'
import {readAnsweringSession, type VerificationStore} from '../store/store.js'
import {StripeUnavailableError, type CreatedSession, type StripeSessionView, type VerificationSessions} from '../stripe/verification-sessions.js'
import type {CreateLimits} from './create-limits.js'
import {singleFlight} from './single-flight.js'
import {isFinalStatus} from '../../protocol/verification-status.js'
import type {SessionConflictCode, SessionStatusAnswer} from '../../protocol/wire.js'

/** What a create answers: the client secret of a session to open (or its hosted page's URL), or the session that makes one needless. */
export type CreateOutcome = {kind: 'client_secret'; clientSecret: string} | {kind: 'url'; url: string} | {kind: 'conflict'; code: SessionConflictCode; session: SessionStatusAnswer}

/** What the flow works with: the store (whose failures answer 503), Stripe's sessions and the limits. */
export interface CreateFlowParts {
  store: VerificationStore
  sessions: VerificationSessions
  limits: CreateLimits
  logger: Logger
}

/**
 * What a create does for a user: read the session that answers for them, ask Stripe where an
 * unfinished one stands, and follow `planCreate` (hand it back, answer 409, or create a new one);
 * the hosted flow always gets a new session returning to its page.
 */
export class CreateFlow {
  readonly #store: VerificationStore
  readonly #sessions: VerificationSessions
  readonly #limits: CreateLimits
  readonly #logger: Logger
  // Within a process a double click joins the running create; across processes, `claimAttempt`.
  readonly #inFlight = new Map<string, Promise<CreateOutcome>>()

  constructor({store, sessions, limits, logger}: CreateFlowParts) {
    this.#store = store
    this.#sessions = sessions
    this.#limits = limits
    this.#logger = logger
  }

  /**
   * What a create answers `userRef`, calling from `ip`; with `returnUrl`, the hosted flow. A double
   * click or a second tab joins the request already running for this user and flow. Stripe's
   * failures answer 502 `stripe_unavailable`.
   */
  outcome(userRef: string, ip: string, returnUrl?: string): Promise<CreateOutcome> {
    const flight = returnUrl ? `${userRef}\n${returnUrl}` : userRef
    return singleFlight(this.#inFlight, flight, () => this.#decide(userRef, ip, returnUrl)).catch((err: unknown) => {
      throw err instanceof StripeUnavailableError ? new ApiError(502, err.message, 'stripe_unavailable') : err
    })
  }

  async #decide(userRef: string, ip: string, returnUrl?: string): Promise<CreateOutcome> {
    const answering = await readAnsweringSession(this.#store, userRef)
    // The store may lag behind Stripe either way (a webhook is still on the way), so Stripe says
    // where an unfinished session stands; a verified, canceled or redacted one never changes again.
    const session: StripeSessionView | null =
      answering && !isFinalStatus(answering.status) && !answering.redacted ? await this.#sessions.retrieve(answering.id) : answering && {...answering, clientSecret: null}
    const plan = planCreate(session)
    const seenSessionId = answering?.id ?? null
    // The hosted page returns where the session says, set when it is created: a new one is made for
    // it rather than an open one reused (Stripe bills submitted sessions, not created ones).
    if (returnUrl && plan.kind !== 'conflict') return {kind: 'url', url: await this.#hostedPage(userRef, ip, seenSessionId, returnUrl)}
    switch (plan.kind) {
      case 'conflict':
        this.#logger.info('verification session not created', {session: plan.session.id, reason: plan.code})
        return {kind: 'conflict', code: plan.code, session: sessionStatusAnswer(plan.session)}
      case 'reuse': {
        const {id, clientSecret} = plan.session
        if (!clientSecret) {
          this.#logger.error('Stripe answered an open session without a client secret', {session: id})
          throw new StripeUnavailableError()
        }
        this.#logger.info('verification session reused', {session: id})
        return {kind: 'client_secret', clientSecret}
      }
      case 'create':
        return {kind: 'client_secret', clientSecret: (await this.#create(userRef, ip, seenSessionId)).clientSecret}
    }
  }

  /** A new session's hosted page URL, which returns to `returnUrl`; `seenSessionId` as for `#create`. */
  async #hostedPage(userRef: string, ip: string, seenSessionId: string | null, returnUrl: string): Promise<string> {
    const {id, url} = await this.#create(userRef, ip, seenSessionId, returnUrl)
    if (!url) {
      this.#logger.error('Stripe answered a session without a url', {session: id})
      throw new StripeUnavailableError()
    }
    return url
  }

  /**
   * A new session, recorded, within today's submissions and the caller's address limit;
   * `seenSessionId` is the answering session the decision to create was made on (null: none).
   */
  async #create(userRef: string, ip: string, seenSessionId: string | null, returnUrl?: string): Promise<CreatedSession> {
    const reservation = await this.#limits.reserveSession(ip)
    try {
      // The same user and view give the same attempt, in every process: see `createIdempotencyKey`.
      const attempt = await this.#store.claimAttempt(userRef, seenSessionId)
      const session = await this.#sessions.create({userRef, attempt, returnUrl})
      await this.#store.insertSession({id: session.id, userRef, status: session.status, createdAt: session.createdAt})
      this.#logger.info('verification session created', {session: session.id, attempt, hosted: Boolean(returnUrl)})
      return session
    } catch (err) {
      await reservation.release().catch(() => {}) // the store failing too: the count lapses with its window
      throw err
    }
  }
}
