// Hand-written rather than hono/cors: a refused origin still reads its 403, and only listed origins get credentials.
import type {MiddlewareHandler} from 'hono'
import {ApiError} from './api-error.js'
import type {ServerOrigins} from './origins.js'

/**
 * Refuses requests from other sites and answers CORS for the allowed ones. The server's own origin
 * and the allowed ones pass, each compared whole (scheme, host and port); requests without `Origin`
 * (curl, server to server) pass unless the browser says they are cross-site. Allowed cross-origin
 * callers get credentialed CORS, never `*`.
 *
 * A refused origin is still told why, without credentials: its preflight passes and its request
 * answers 403 `forbidden_origin` in a form the page can read, so the element can say which setting
 * to change instead of reporting a server it cannot reach. Nothing past this check runs for it.
 */
export function originGuard({own, allowed}: ServerOrigins): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin')
    if (origin === undefined) {
      if (c.req.header('sec-fetch-site') === 'cross-site') throw forbidden()
      return next()
    }
    if (origin === own) return next()
    const isAllowed = allowed.has(origin)
    c.header('Access-Control-Allow-Origin', origin)
    if (isAllowed) c.header('Access-Control-Allow-Credentials', 'true')
    c.header('Vary', 'Origin', {append: true})
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST')
      const requested = c.req.header('access-control-request-headers')
      if (requested) c.header('Access-Control-Allow-Headers', requested)
      c.header('Access-Control-Max-Age', '600')
      return c.body(null, 204)
    }
    if (!isAllowed) throw forbidden()
    return next()
  }
}

function forbidden(): ApiError {
  return new ApiError(403, 'This origin may not call the verification server: add it to the server’s allowed origins', 'forbidden_origin')
}
