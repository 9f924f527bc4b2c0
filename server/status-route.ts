import {Hono} from 'hono'
import {ApiError} from './api-error.js'
import type {ResolvedDeps} from './deps.js'
import {signedInUser, type SignedInEnv} from './signed-in-user.js'
import {SESSION_STATUS_PATH, type SessionStatusAnswer} from '../protocol/wire.js'

/** `GET /verification-session`: the signed-in user's latest session, without any personal data. */
export function statusRoute(deps: ResolvedDeps): Hono<SignedInEnv> {
  const route = new Hono<SignedInEnv>()
  route.use(SESSION_STATUS_PATH, signedInUser(deps, {unauthenticated: 'Sign in to see your verification'}))
  route.get(SESSION_STATUS_PATH, async (c) => {
    const session = await deps.store.latestSession(c.var.userRef)
    if (!session) throw new ApiError(404, 'No verification yet', 'not_found')
    return c.json<SessionStatusAnswer>({
      id: session.id,
      status: session.status,
      last_error: session.lastErrorCode ? {code: session.lastErrorCode} : null,
    })
  })
  return route
}
