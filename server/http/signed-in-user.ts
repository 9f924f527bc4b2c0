import type {Context, MiddlewareHandler} from 'hono'
import {createMiddleware} from 'hono/factory'
import {matchedRoutes, routePath} from 'hono/route'
import {ApiError} from './api-error.js'
import {originGuard} from './origin-guard.js'
import type {ServerOrigins} from './origins.js'
import {readBodyText} from './body.js'
import type {Logger} from '../log/logger.js'
import {isPrintableReference, MAX_REFERENCE_LENGTH} from '../rules/bounds.js'

/** What a route behind `signedInUser` finds in `c.var`. */
export interface SignedInEnv {
  Variables: {
    /** The signed-in user's reference, from `authenticate`. */
    userRef: string
    /** The request body as text when the route asked for it (`maxBodyBytes`), else empty. */
    body: string
  }
}

/** How a route's user prologue behaves. */
export interface SignedInOptions {
  /** What the 401 answer says to a caller nobody is signed in as. */
  unauthenticated: string
  /**
   * Read the body first, up to this many bytes: a body too large answers 413 whether or not
   * anybody is signed in, and the text reaches the handler as `c.var.body`.
   */
  maxBodyBytes?: number
}

/**
 * The prologue of a route for signed-in users, registered with `route.use(path, …)`: other sites are
 * refused and allowed ones answered CORS (`originGuard`), on every method; then, for a method the
 * path takes, the answer is marked `no-store` and the user resolved into `c.var.userRef`, or 401
 * `unauthenticated`. A reference that is not printable text of at most 255 characters answers 400
 * `invalid_user_reference` before anything is counted, stored or asked of Stripe (the site's
 * `authenticate` is at fault: the log says so, without the reference). Another method goes on
 * untouched to its 405 answer.
 */
export function signedInUser(
  {origins, authenticate, logger}: {origins: ServerOrigins; authenticate(c: Context): string | null | Promise<string | null>; logger: Logger},
  {unauthenticated, maxBodyBytes}: SignedInOptions,
): MiddlewareHandler<SignedInEnv> {
  const guard = originGuard(origins)
  return createMiddleware<SignedInEnv>((c, next) =>
    guard(c, async () => {
      // A handler of this path is the only match with a method of its own (this middleware and the
      // 405 answer match ALL); without one the 405 names the mistake instead of a 401 hiding it.
      const path = routePath(c)
      if (!matchedRoutes(c).some((route) => route.path === path && route.method !== 'ALL')) return next()
      c.header('Cache-Control', 'no-store')
      c.set('body', maxBodyBytes === undefined ? '' : await readBodyText(c, maxBodyBytes))
      const userRef = await authenticate(c)
      if (!userRef) throw new ApiError(401, unauthenticated, 'unauthenticated')
      if (typeof userRef !== 'string' || !isPrintableReference(userRef)) {
        logger.warn('authenticate answered an unusable user reference', {type: typeof userRef, length: typeof userRef === 'string' ? userRef.length : null})
        throw new ApiError(400, `The signed-in user's reference must be printable text of at most ${MAX_REFERENCE_LENGTH} characters`, 'invalid_user_reference')
      }
      c.set('userRef', userRef)
      await next()
    }),
  )
}
