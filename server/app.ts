import {Hono} from 'hono'
import {HTTPException} from 'hono/http-exception'
import {ApiError} from './http/api-error.js'
import {createSessionRoute} from './routes/create-session.js'
import {healthRoute} from './routes/health.js'
import {resolveDeps, type VerificationAppDeps} from './routes/deps.js'
import {statusRoute} from './routes/status.js'
import {webhookRoute} from './routes/webhook.js'
import type {ErrorAnswer} from '../protocol/wire.js'

/**
 * The verification server as a Hono app a site mounts: `POST /create-verification-session`,
 * `POST /webhook`, `GET /verification-session` (204 when the user has nothing to show) and `GET /healthz`.
 * Every error answers `{"error": {"message", "code"?}}`; a create's 409 (`already_verified`,
 * `verification_processing`) adds the `session` that answers for the user. On the emulator, a client
 * secret comes with `stripe_js`, where the page loads the emulator's Stripe.js (see `stripeJsUrl`).
 */
export function createApp(deps: VerificationAppDeps): Hono {
  const resolved = resolveDeps(deps)
  const {logger} = resolved
  const app = new Hono()
  app.route('/', createSessionRoute(resolved))
  app.route('/', webhookRoute(resolved))
  app.route('/', statusRoute(resolved))
  app.route('/', healthRoute(resolved))
  // Another method on one of these paths is a mistake worth naming, not a missing page; the methods
  // each path takes are read from the routes themselves (their middleware is registered as `ALL`).
  const methods = new Map<string, string[]>()
  for (const {path, method} of app.routes) if (method !== 'ALL') methods.set(path, [...(methods.get(path) ?? []), method])
  for (const [path, taken] of methods) {
    const allow = taken.join(', ')
    app.all(path, () => {
      throw new ApiError(405, `${path} takes ${allow} requests only`, 'method_not_allowed', {Allow: allow})
    })
  }
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value)
      const error = err.code ? {message: err.message, code: err.code} : {message: err.message}
      return c.json<ErrorAnswer>({error}, err.status)
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json<ErrorAnswer>({error: {message: err.message || 'Bad request'}}, err.status)
    }
    logger.error('request failed', {method: c.req.method, path: c.req.path, error: err})
    return c.json<ErrorAnswer>({error: {message: 'Internal error'}}, 500)
  })
  return app
}
