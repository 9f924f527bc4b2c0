import type {MiddlewareHandler} from 'hono'
import {ApiError} from './api-error.js'

/**
 * Refuses requests from other sites and answers CORS for the allowed ones. A request's own origin
 * and `allowedOrigins` pass; requests without `Origin` (curl, server to server) pass unless the
 * browser says they are cross-site. Allowed cross-origin callers get credentialed CORS, never `*`.
 */
export function originGuard(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin))
  return async (c, next) => {
    const origin = c.req.header('origin')
    const ownOrigin = new URL(c.req.url).origin
    if (origin === undefined) {
      if (c.req.header('sec-fetch-site') === 'cross-site') throw forbidden()
      return next()
    }
    if (origin === ownOrigin) return next()
    if (!allowed.has(origin)) throw forbidden()
    c.header('Access-Control-Allow-Origin', origin)
    c.header('Access-Control-Allow-Credentials', 'true')
    c.header('Vary', 'Origin', {append: true})
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST')
      const requested = c.req.header('access-control-request-headers')
      if (requested) c.header('Access-Control-Allow-Headers', requested)
      c.header('Access-Control-Max-Age', '600')
      return c.body(null, 204)
    }
    return next()
  }
}

function forbidden(): ApiError {
  return new ApiError(403, 'This origin may not call the verification server', 'forbidden_origin')
}
