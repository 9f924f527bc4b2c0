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
  take(key: string): {allowed: true; release(): void} | {allowed: false; retryAfterSeconds: number}
}

/** An in-memory fixed-window limiter; a window's counts are dropped when the next one starts. */
export function createRateLimiter({max, windowMs}: RateLimit, now: () => number): RateLimiter {
  let window = -1
  const counts = new Map<string, number>()
  return {
    take(key) {
      const at = now()
      const current = Math.floor(at / windowMs)
      if (current !== window) {
        window = current
        counts.clear()
      }
      const count = counts.get(key) ?? 0
      if (count >= max) return {allowed: false, retryAfterSeconds: secondsUntilWindowEnds(windowMs, at)}
      counts.set(key, count + 1)
      let released = false
      return {
        allowed: true,
        release() {
          // A count of a window already over was dropped with it.
          if (released || window !== current) return
          released = true
          const left = (counts.get(key) ?? 1) - 1
          if (left > 0) counts.set(key, left)
          else counts.delete(key)
        },
      }
    },
  }
}
