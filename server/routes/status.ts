import {Hono} from 'hono'
import {sessionStatusAnswer} from '../rules/answering-session.js'
import {readAnsweringSession} from '../store/store.js'
import type {ResolvedDeps} from './deps.js'
import {signedInUser, type SignedInEnv} from '../http/signed-in-user.js'
import {SESSION_STATUS_PATH, type SessionStatusAnswer} from '../../protocol/wire.js'

/**
 * `GET /verification-session`: the session that answers for the signed-in user (their verified one,
 * else their latest, see `answeringSession`), without any personal data; 204 when they have none, so
 * that nothing to show is no HTTP error on the console of a new visitor's page.
 */
export function statusRoute(deps: ResolvedDeps): Hono<SignedInEnv> {
  const {store} = deps
  const route = new Hono<SignedInEnv>()
  route.use(SESSION_STATUS_PATH, signedInUser(deps, {unauthenticated: 'Sign in to see your verification'}))
  route.get(SESSION_STATUS_PATH, async (c) => {
    const session = await readAnsweringSession(store, c.var.userRef)
    if (!session) return c.body(null, 204)
    return c.json<SessionStatusAnswer>(sessionStatusAnswer(session))
  })
  return route
}
