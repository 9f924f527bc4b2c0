/** How many times something may happen per window. */
export interface RateLimit {
  /** How many times per window. */
  max: number
  /** The window's length in ms; windows start at multiples of it since the epoch (a day's at 00:00 UTC). */
  windowMs: number
}

/** A fixed-window counter per key: `take` says whether one more is allowed, else how long to wait. */
export interface RateLimiter {
  /** Counts one for `key` when allowed; otherwise returns the seconds until the window ends. */
  take(key: string): {allowed: true} | {allowed: false; retryAfterSeconds: number}
  /** Whether `key` may take one more in the current window, without counting it. */
  check(key: string): {allowed: true} | {allowed: false; retryAfterSeconds: number}
}

/** An in-memory fixed-window limiter; a window's counts are dropped when the next one starts. */
export function createRateLimiter({max, windowMs}: RateLimit, now: () => number): RateLimiter {
  let window = -1
  const counts = new Map<string, number>()
  const check = (key: string) => {
    const at = now()
    const current = Math.floor(at / windowMs)
    if (current !== window) {
      window = current
      counts.clear()
    }
    if ((counts.get(key) ?? 0) < max) return {allowed: true} as const
    return {allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((current + 1) * windowMs - at) / 1000))} as const
  }
  return {
    check,
    take(key) {
      const verdict = check(key)
      if (verdict.allowed) counts.set(key, (counts.get(key) ?? 0) + 1)
      return verdict
    },
  }
}
