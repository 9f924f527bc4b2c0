import type {VerificationStore} from '../store/store.js'

/** How many times something may happen per window. */
export interface RateLimit {
  /** How many times per window. */
  max: number
  /** The window's length in ms; windows start at multiples of it since the epoch (a day's at 00:00 UTC). */
  windowMs: number
}

/** Seconds from `at` (ms since the epoch) until its fixed window of `windowMs` ends: a `Retry-After`, at least 1. */
export function secondsUntilWindowEnds(windowMs: number, at: number): number {
  const end = (Math.floor(at / windowMs) + 1) * windowMs
  return Math.max(1, Math.ceil((end - at) / 1000))
}

/** A fixed-window counter per key. */
export interface RateLimiter {
  /**
   * Counts one for `key` when allowed, with a way to give it back (the work it was counted for
   * failed); otherwise returns the seconds until the window ends.
   */
  take(key: string): Promise<{allowed: true; release(): Promise<void>} | {allowed: false; retryAfterSeconds: number}>
}

/**
 * A fixed-window limiter whose counts are kept in the store, so that every server process sharing it
 * counts together: two processes allow no more than one.
 */
export function storeRateLimiter(store: VerificationStore, scope: string, {max, windowMs}: RateLimit, now: () => number): RateLimiter {
  return {
    async take(key) {
      const at = now()
      const windowEnd = (Math.floor(at / windowMs) + 1) * windowMs
      const counter = `${scope}:${key}`
      if (!(await store.takeCount(counter, windowEnd, max, at))) {
        return {allowed: false, retryAfterSeconds: secondsUntilWindowEnds(windowMs, at)}
      }
      let released = false
      return {
        allowed: true,
        async release() {
          // Once only; a count of a window already over was forgotten with it.
          if (released) return
          released = true
          await store.releaseCount(counter, windowEnd)
        },
      }
    },
  }
}
