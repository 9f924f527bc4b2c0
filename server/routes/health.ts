import {Hono} from 'hono'
import {ApiError} from '../http/api-error.js'
import type {ResolvedDeps} from './deps.js'
import {STORE_RETRY_AFTER_SECONDS, STORE_UNAVAILABLE} from './store-unavailable.js'
import {HEALTH_PATH, type HealthAnswer} from '../../protocol/wire.js'

/** The longest a health check waits for the store: checkers give up after a few seconds, and a slow store is not a healthy one. */
export const HEALTH_TIMEOUT_MS = 2000

/**
 * `GET /healthz`: 200 `{"ok": true}` once the store answered a read and, where writes take a path of
 * their own, a write's turn, within `HEALTH_TIMEOUT_MS`; 503 when it did not, or while writes fail
 * (a full disk fails writes while reads still answer). Never cached; nothing about the store's
 * contents or the error's details, which the server's log tells.
 */
export function healthRoute({store}: ResolvedDeps): Hono {
  const route = new Hono()
  route.get(HEALTH_PATH, async (c) => {
    c.header('Cache-Control', 'no-store')
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, HEALTH_TIMEOUT_MS, 'timeout')))
    const answered = await Promise.race([
      Promise.resolve()
        .then(() => store.ping())
        .then(() => 'ok' as const),
      timedOut,
    ]).catch(() => 'failed' as const)
    clearTimeout(timer)
    if (answered !== 'ok' || store.writesFailing()) {
      const why = answered === 'timeout' ? 'The database did not answer in time' : 'The database fails'
      throw new ApiError(503, why, STORE_UNAVAILABLE, {'Retry-After': String(STORE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store'})
    }
    return c.json<HealthAnswer>({ok: true})
  })
  return route
}
