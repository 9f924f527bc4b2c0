import {Hono} from 'hono'
import {ApiError} from './api-error.js'
import type {ResolvedDeps} from './app.js'
import {originGuard} from './origin-guard.js'

/** `GET /verification-session`: the signed-in user's latest session, without any personal data. */
export function statusRoute(deps: ResolvedDeps): Hono {
  const route = new Hono()
  route.use('/verification-session', originGuard(deps.allowedOrigins))
  route.get('/verification-session', async (c) => {
    c.header('Cache-Control', 'no-store')
    const userRef = await deps.authenticate(c)
    if (!userRef) throw new ApiError(401, 'Sign in to see your verification', 'unauthenticated')
    const session = await deps.store.latestSession(userRef)
    if (!session) throw new ApiError(404, 'No verification yet', 'not_found')
    return c.json({
      id: session.id,
      status: session.status,
      last_error: session.lastErrorCode ? {code: session.lastErrorCode} : null,
    })
  })
  return route
}
