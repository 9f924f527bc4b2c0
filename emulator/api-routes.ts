import {Hono, type Context, type MiddlewareHandler} from 'hono'
import Stripe from 'stripe'
import {isVerificationStatus, VERIFICATION_STATUSES} from '../protocol/verification-status.js'
import {checkApiVersion} from './api-version.js'
import type {EventLog} from './events.js'
import type {FaultList} from './faults.js'
import {canonicalParams, FormError, parseForm, type FormParams, type FormValue} from './form.js'
import {stripeId} from './ids.js'
import type {IdempotencyKeys} from './idempotency.js'
import {paginate} from './pagination.js'
import {REPORT_EXPANDABLE, reportView, type ReportStore} from './reports.js'
import {rejectUnknownParams} from './route-params.js'
import {parseCreateParams, parseExpand, parseExpandOnly, parseUpdateParams, string} from './session-params.js'
import {SESSION_EXPANDABLE, sessionView} from './session-view.js'
import type {EventRequest, SessionStore} from './sessions.js'
import {authenticationFailed, invalidRequest, parameterUnknown, resourceMissing, StripeApiError} from './stripe-error.js'

type ApiEnv = {Variables: {params: FormParams; request: EventRequest}}
type VerificationSession = Stripe.Identity.VerificationSession

/** What the REST routes work on. */
export interface ApiDependencies {
  sessions: SessionStore
  reports: ReportStore
  events: EventLog
  faults: FaultList
  idempotency: IdempotencyKeys
}

const SESSIONS_PATH = '/v1/identity/verification_sessions'
const REPORTS_PATH = '/v1/identity/verification_reports'

/** The secret key of a request: `Authorization: Bearer sk_test_…`, or basic auth with the key as user name. */
function apiKeyOf(header: string | undefined): string | null {
  if (!header) return null
  const [scheme, value = ''] = header.trim().split(/\s+/, 2)
  if (/^bearer$/i.test(scheme)) return value
  if (/^basic$/i.test(scheme)) return Buffer.from(value, 'base64').toString('utf8').split(':')[0]
  return null
}

/** Refuses requests without a usable test-mode secret key, with Stripe's 401 messages. */
function checkApiKey(key: string | null): void {
  if (!key) {
    throw authenticationFailed(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details.",
    )
  }
  if (/^(sk|rk)_live_/.test(key)) {
    throw authenticationFailed('This emulator runs in test mode only and refuses live-mode keys. Use a test-mode secret key (sk_test_…).')
  }
  if (/^pk_/.test(key)) throw authenticationFailed('This API call cannot be made with a publishable API key. Please use a secret API key.')
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) {
    throw authenticationFailed(`Invalid API Key provided: ${key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}` : '****'}`)
  }
}

/** Renders any error in Stripe's `{error: {...}}` shape. */
export function renderStripeError(err: unknown, c: Context): Response {
  if (err instanceof StripeApiError) return c.json({error: err.body}, err.status)
  return c.json({error: {type: 'api_error', message: 'An unknown error occurred'}}, 500)
}

/** The Stripe REST subset: VerificationSessions, VerificationReports and Events, with Stripe's auth, errors and idempotency. */
export function apiRoutes({sessions, reports, events, faults, idempotency}: ApiDependencies): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  api.onError(renderStripeError)
  api.use('*', apiRequest({faults, idempotency}))
  api.route('/identity/verification_sessions', sessionRoutes({sessions, reports}))
  api.route('/identity/verification_reports', reportRoutes(reports))
  api.route('/events', eventRoutes(events))
  api.all('*', (c) => {
    throw new StripeApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${c.req.method}: ${c.req.path}). The emulator implements the Identity VerificationSession, VerificationReport and Event endpoints only.`,
    })
  })
  return api
}

/** What every API request goes through before its route: its id and version headers, the key check, injected faults, its parameters, and its idempotency key. */
function apiRequest({faults, idempotency}: Pick<ApiDependencies, 'faults' | 'idempotency'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const requestId = stripeId('req', 14)
    c.header('Request-Id', requestId)
    // The version the answer is rendered in: the account's (pinned to stripe-node's), or the request's once it is known to be one of Stripe's.
    c.header('Stripe-Version', Stripe.API_VERSION)
    checkApiKey(apiKeyOf(c.req.header('Authorization')))
    const version = c.req.header('Stripe-Version')
    if (version !== undefined) {
      checkApiVersion(version)
      c.header('Stripe-Version', version)
    }

    const fault = faults.take(c.req.method, c.req.path)
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault?.status) {
      throw new StripeApiError(fault.status as 500, {type: 'api_error', message: 'An unknown error occurred (a fault injected into the emulator).'})
    }

    const raw = c.req.method === 'GET' ? new URL(c.req.url).searchParams : await c.req.text()
    try {
      c.set('params', parseForm(raw))
    } catch (err) {
      if (err instanceof FormError) throw invalidRequest(err.message, {param: err.param})
      throw err
    }
    const key = c.req.method === 'POST' ? c.req.header('Idempotency-Key') : undefined
    c.set('request', {id: requestId, idempotency_key: key ?? null})
    if (!key) return next()

    if (key.length > 255) throw invalidRequest('Idempotency keys can be at most 255 characters long.', {param: 'Idempotency-Key'})
    const saved = idempotency.begin(key, `${c.req.method} ${c.req.path} ${canonicalParams(c.get('params'))}`)
    c.header('Idempotency-Key', key)
    // The request that ran under this key: this one, or for a replay the first one.
    c.header('Original-Request', saved?.requestId ?? requestId)
    if (saved) {
      c.header('Idempotent-Replayed', 'true')
      return c.body(saved.body, saved.status as 200, {'Content-Type': saved.contentType})
    }
    try {
      await next()
    } catch (err) {
      idempotency.release(key)
      throw err
    }
    idempotency.finish(key, {status: c.res.status, body: await c.res.clone().text(), contentType: c.res.headers.get('Content-Type') ?? 'application/json', requestId})
  }
}

/** `/v1/identity/verification_sessions`: create, list, retrieve, update, cancel and redact. */
function sessionRoutes({sessions, reports}: Pick<ApiDependencies, 'sessions' | 'reports'>): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()
  const expandSession = (session: VerificationSession, expand: readonly string[]) => sessionView(session, expand, reports)

  app.post('/', (c) => {
    const params = parseCreateParams(c.get('params'))
    return c.json(expandSession(sessions.create(params, c.get('request')), params.expand))
  })

  app.get('/', (c) => {
    const params = c.get('params')
    rejectUnknownParams(params, 'GET /v1/identity/verification_sessions')
    const {status} = params
    if (status !== undefined && !isVerificationStatus(status)) {
      throw invalidRequest(`Invalid status: must be one of ${VERIFICATION_STATUSES.join(', ')}`, {param: 'status'})
    }
    const expand = parseExpand(
      params,
      SESSION_EXPANDABLE.map((path) => `data.${path}`),
    ).map((path) => path.slice('data.'.length))
    const filter = Object.fromEntries(['status', 'client_reference_id', 'related_customer', 'related_customer_account'].map((name) => [name, string(params, name)]))
    const items = sessions.list(filter).filter(createdFilter(params.created))
    const page = paginate(items, params, SESSIONS_PATH, 'verification session')
    // Each item as retrieve answers it: a requires_input session with a client secret and its URL.
    return c.json({...page, data: page.data.map((session) => expandSession(sessions.retrieve(session.id), expand))})
  })

  app.get('/:id', (c) => {
    const expand = parseExpandOnly(c.get('params'), 'GET /v1/identity/verification_sessions/{session}')
    return c.json(expandSession(sessions.retrieve(c.req.param('id')), expand))
  })

  app.post('/:id', (c) => {
    const params = parseUpdateParams(c.get('params'))
    return c.json(expandSession(sessions.update(c.req.param('id'), params), params.expand))
  })

  app.post('/:id/cancel', (c) => {
    const expand = parseExpandOnly(c.get('params'), 'POST /v1/identity/verification_sessions/{session}/cancel')
    return c.json(expandSession(sessions.cancel(c.req.param('id'), c.get('request')), expand))
  })

  app.post('/:id/redact', (c) => {
    const expand = parseExpandOnly(c.get('params'), 'POST /v1/identity/verification_sessions/{session}/redact')
    return c.json(expandSession(sessions.redact(c.req.param('id'), c.get('request')), expand))
  })

  return app
}

/** `/v1/identity/verification_reports`: list and retrieve. */
function reportRoutes(reports: ReportStore): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()

  app.get('/', (c) => {
    const params = c.get('params')
    rejectUnknownParams(params, 'GET /v1/identity/verification_reports')
    const {type} = params
    if (type !== undefined && type !== 'document' && type !== 'id_number') throw invalidRequest('Invalid type: must be one of document or id_number', {param: 'type'})
    const expand = parseExpand(
      params,
      REPORT_EXPANDABLE.map((path) => `data.${path}`),
    ).map((path) => path.slice('data.'.length))
    const filter = Object.fromEntries(['client_reference_id', 'type', 'verification_session'].map((name) => [name, string(params, name)]))
    const items = reports.list(filter).filter(createdFilter(params.created))
    const page = paginate(items, params, REPORTS_PATH, 'verification report')
    return c.json({...page, data: page.data.map((report) => reportView(report, expand))})
  })

  app.get('/:id', (c) => {
    const expand = parseExpandOnly(c.get('params'), 'GET /v1/identity/verification_reports/{report}', REPORT_EXPANDABLE)
    return c.json(reportView(reports.get(c.req.param('id')), expand))
  })

  return app
}

/** `/v1/events`: list, with Stripe's filters, and retrieve. */
function eventRoutes(events: EventLog): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>()

  app.get('/', (c) => {
    const params = c.get('params')
    rejectUnknownParams(params, 'GET /v1/events')
    parseExpand(params, [])
    const {type, types, delivery_success: delivered} = params
    if (type !== undefined && typeof type !== 'string') throw invalidRequest('Invalid type: must be a string.', {param: 'type'})
    if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== 'string')))
      throw invalidRequest('Invalid array', {code: 'parameter_invalid_array', param: 'types'})
    if (type !== undefined && types !== undefined) throw invalidRequest('You may only specify one of these parameters: type, types.')
    if (delivered !== undefined && delivered !== 'true' && delivered !== 'false') {
      throw invalidRequest(`Invalid boolean: ${typeof delivered === 'string' ? delivered : 'delivery_success'}`, {code: 'parameter_invalid_boolean', param: 'delivery_success'})
    }
    const filter = {
      types: type !== undefined ? [type] : (types as string[] | undefined),
      created: createdFilter(params.created),
      delivery_success: delivered === undefined ? undefined : delivered === 'true',
    }
    return c.json(paginate(events.list(filter), params, '/v1/events', 'event'))
  })

  app.get('/:id', (c) => {
    parseExpandOnly(c.get('params'), 'GET /v1/events/{id}', [])
    const event = events.get(c.req.param('id'))
    if (!event) throw resourceMissing('event', c.req.param('id'))
    return c.json(event)
  })

  return app
}

const CREATED_BOUNDS = ['gt', 'gte', 'lt', 'lte'] as const

/** A timestamp parameter, as Stripe validates integers. */
function timestamp(value: FormValue, param: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw invalidRequest(`Invalid integer: ${typeof value === 'string' ? value : param}`, {code: 'parameter_invalid_integer', param})
  return Number(value)
}

/** Stripe's `created` filter, checked before any item is read: `created=<timestamp>`, or `created[gt|gte|lt|lte]`. */
function createdFilter(filter: FormValue | undefined): (item: {created: number}) => boolean {
  if (filter === undefined) return () => true
  if (typeof filter === 'string') {
    const exact = timestamp(filter, 'created')
    return (item) => item.created === exact
  }
  if (Array.isArray(filter)) throw invalidRequest('Invalid created: must be a timestamp or a range.', {param: 'created'})
  for (const key of Object.keys(filter)) if (!(CREATED_BOUNDS as readonly string[]).includes(key)) throw parameterUnknown(`created[${key}]`)
  const [gt, gte, lt, lte] = CREATED_BOUNDS.map((name) => (filter[name] === undefined ? undefined : timestamp(filter[name], `created[${name}]`)))
  return ({created}) => (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte)
}
