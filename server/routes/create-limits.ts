import {ApiError} from '../http/api-error.js'
import type {Logger} from '../log/logger.js'
import {addressGroup} from '../rules/address-group.js'
import type {VerificationStore} from '../store/store.js'
import type {ResolvedDeps} from './deps.js'
import {secondsUntilWindowEnds, storeRateLimiter, type RateLimiter} from './rate-limit.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** A 429 answer, with the seconds until the limit's window ends. */
function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'Too many verification attempts, try again later', 'rate_limited', {
    'Retry-After': String(retryAfterSeconds),
  })
}

/**
 * The limits a create meets, kept in the store so that every server process sharing it counts
 * together: each request of a user, today's submitted sessions, and the new sessions of a caller's
 * address. Each refusal is a 429 with `Retry-After`.
 */
export class CreateLimits {
  readonly #store: VerificationStore
  readonly #logger: Logger
  readonly #now: () => number
  readonly #dailySubmissions: number
  readonly #perUser: RateLimiter
  readonly #perUserPrefetch: RateLimiter
  readonly #perIp: RateLimiter

  constructor(store: VerificationStore, {limits, logger, now}: Pick<ResolvedDeps, 'limits' | 'logger' | 'now'>) {
    this.#store = store
    this.#logger = logger
    this.#now = now
    this.#dailySubmissions = limits.dailySubmissions
    this.#perUser = storeRateLimiter(store, 'user', limits.perUser, now)
    this.#perUserPrefetch = storeRateLimiter(store, 'user-prefetch', limits.perUserPrefetch, now)
    this.#perIp = storeRateLimiter(store, 'ip', limits.perIp, now)
  }

  /** Counts a create request of `userRef`, whatever it answers; a `prefetch` against the user's prefetch allowance. */
  async countRequest(userRef: string, prefetch = false): Promise<void> {
    const verdict = await (prefetch ? this.#perUserPrefetch : this.#perUser).take(userRef)
    if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds)
  }

  /**
   * Room for a new session for a caller at `ip`, to give back when the create fails: failures at
   * Stripe must not lock an address out. Reserved before Stripe is called, so that concurrent
   * requests cannot pass the limit together.
   */
  async reserveSession(ip: string): Promise<{release(): Promise<void>}> {
    // Stripe bills submitted sessions: once today's reach the cap, nobody starts a new one until the
    // next UTC day. Creates alone cost nothing, so a flood of them blocks nobody.
    const at = this.#now()
    const dayStart = Math.floor(at / DAY_MS) * DAY_MS
    if ((await this.#store.countSubmittedSessions(dayStart, dayStart + DAY_MS)) >= this.#dailySubmissions) {
      this.#logger.warn('daily verification submissions cap reached', {cap: this.#dailySubmissions})
      throw tooManyRequests(secondsUntilWindowEnds(DAY_MS, at))
    }
    const reservation = await this.#perIp.take(addressGroup(ip))
    if (!reservation.allowed) throw tooManyRequests(reservation.retryAfterSeconds)
    return reservation
  }
}
