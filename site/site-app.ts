// The part of the site every runtime serves alike (`npm start` and the runtimes' entries): in a module
// of its own with web-standard imports only, so that Workers, Bun and Deno can load it.
import {Hono, type Context, type MiddlewareHandler} from 'hono'
import type Stripe from 'stripe'
import {createApp, type Logger, type VerificationStore, type VisitorIdentity} from '../server/web.js'
import {CREATE_SESSION_PATH, HEALTH_PATH, SESSION_STATUS_PATH, SETUP_ORIGIN_PATH, WEBHOOK_PATH, type SetupOriginAnswer} from '../protocol/wire.js'
import {acceptsOrigin, originOfAddress, serverOrigins} from '../server/http/origins.js'
import type {ServerConfig} from './config.js'

/** What `siteApp` serves with. */
export interface SiteAppOptions {
  config: ServerConfig
  stripe: Stripe
  visitor: VisitorIdentity
  store: VerificationStore
  logger: Logger
  /** Sets the visitor cookie on the site's own pages (`npm start`, which serves the demo). */
  pages?: boolean
  /** The caller's address, when the runtime's server does not hand it to Hono (Workers). */
  clientAddress?(c: Context): string | null
  /** In emulator mode, where browsers load the emulator's Stripe.js double, when not where the server reaches it (see `createApp`). */
  stripeJsUrl?: string | null
}

/**
 * The site's app before its files and pages: one log line per request (Stripe's deliveries are
 * logged by the webhook route itself, one line each; a health check only when it fails), visitors known by the cookie on the site's
 * pages and by the credential on the API, and the server's routes.
 */
export function siteApp({config, stripe, visitor, store, logger, pages = false, clientAddress, stripeJsUrl}: SiteAppOptions): Hono {
  const app = new Hono()
  /** Middleware for the pages and the API, not for Stripe's deliveries. */
  const exceptWebhook =
    (middleware: MiddlewareHandler): MiddlewareHandler =>
    (c, next) =>
      c.req.path === WEBHOOK_PATH ? next() : middleware(c, next)
  app.use(
    '*',
    exceptWebhook(async (c, next) => {
      const started = performance.now()
      await next()
      // A health check asked every few seconds would bury the log: only its failures are told.
      if (c.req.path === HEALTH_PATH && c.res.ok) return
      // Paths and statuses only: no query string, header or body can carry a secret into the log.
      logger.info('request', {method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started)})
    }),
  )
  if (pages) app.use('*', exceptWebhook(visitor.middleware))
  // Pages on other sites cannot rely on the cookie: their visitors are known by the credential instead.
  for (const path of [CREATE_SESSION_PATH, SESSION_STATUS_PATH]) app.use(path, visitor.credentials)
  app.use(SESSION_STATUS_PATH, newVisitorHasNothingToShow)
  app.get(SETUP_ORIGIN_PATH, setupOriginCheck(config))
  app.route(
    '/',
    createApp({
      stripe,
      webhookSecret: config.webhookSecrets,
      store,
      authenticate: visitor.authenticate,
      publicUrl: config.publicUrl,
      allowedOrigins: config.allowedOrigins,
      logger,
      ...(clientAddress && {clientAddress}),
      ...(stripeJsUrl !== undefined && {stripeJsUrl}),
    }),
  )
  return app
}

/**
 * Here every visitor is anonymous: one without a cookie or credential yet (a first visit, a page on
 * another site) is a new visitor with no verification, not a caller who should sign in. Their status
 * answers 204 as a user's with no session does, rather than 401, which browsers print in red on the
 * console of every new visitor's first page. The answer keeps the headers the origin check set.
 */
const newVisitorHasNothingToShow: MiddlewareHandler = async (c, next) => {
  await next()
  if (c.req.method !== 'GET' || c.res.status !== 401) return
  const headers = new Headers(c.res.headers)
  headers.delete('content-type')
  headers.delete('content-length')
  c.res = new Response(null, {status: 204, headers})
}

/**
 * `GET /setup/origin?origin=<origin>`, the setup check of `/embed`: whether pages of that one origin
 * may call this server (its own `PUBLIC_URL` or one of `ALLOWED_ORIGINS`), never the list itself. A
 * page's address is reduced to its origin; a missing or malformed one answers 400. Served here
 * rather than by `createApp`: an app mounted in a site of its own is set up in its owner's code, where
 * `allowedOrigins` is in plain sight, while `npm start` and the runtimes read it from an environment
 * the site owner on `/embed` cannot see.
 */
function setupOriginCheck(config: Pick<ServerConfig, 'publicUrl' | 'allowedOrigins'>): (c: Context) => Response {
  const origins = serverOrigins('PUBLIC_URL', config.publicUrl, config.allowedOrigins)
  return (c) => {
    const asked = originOfAddress(c.req.query('origin'))
    const headers = {'Cache-Control': 'no-store'}
    if ('problem' in asked) return c.json({error: {message: asked.problem, code: 'invalid_origin'}}, 400, headers)
    const answer: SetupOriginAnswer = {origin: asked.origin, allowed: acceptsOrigin(origins, asked.origin)}
    return c.json(answer, 200, headers)
  }
}
