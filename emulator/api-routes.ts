import {Hono, type Context} from 'hono'
import {isVerificationStatus, VERIFICATION_STATUSES} from '../protocol/verification-status.js'
import type {EventLog} from './events.js'
import type {FaultList} from './faults.js'
import {canonicalParams, FormError, parseForm, type FormParams} from './form.js'
import {stripeId} from './ids.js'
import type {IdempotencyKeys} from './idempotency.js'
import {paginate} from './pagination.js'
import {parseCreateParams, parseExpandOnly, parseUpdateParams} from './session-params.js'
import type {EventRequest, SessionStore} from './sessions.js'
import {authenticationFailed, invalidRequest, parameterUnknown, resourceMissing, StripeApiError} from './stripe-error.js'

type ApiEnv = {Variables: {params: FormParams; request: EventRequest}}

/** What the REST routes work on. */
export interface ApiDependencies {
  sessions: SessionStore
  events: EventLog
  faults: FaultList
  idempotency: IdempotencyKeys
}

const SESSIONS_PATH = '/v1/identity/verification_sessions'
const LIST_PARAMS = ['status', 'client_reference_id', 'limit', 'starting_after', 'ending_before', 'expand', 'created']

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

/** The Stripe REST subset: VerificationSessions and Events, with Stripe's auth, errors and idempotency. */
export function apiRoutes({sessions, events, faults, idempotency}: ApiDependencies): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>()
  api.onError(renderStripeError)

  api.use('*', async (c, next) => {
    const requestId = stripeId('req', 14)
    c.header('Request-Id', requestId)
    checkApiKey(apiKeyOf(c.req.header('Authorization')))

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
    if (saved) {
      c.header('Idempotent-Replayed', 'true')
      c.header('Idempotency-Key', key)
      return c.body(saved.body, saved.status as 200, {'Content-Type': saved.contentType})
    }
    c.header('Idempotency-Key', key)
    try {
      await next()
    } catch (err) {
      idempotency.release(key)
      throw err
    }
    idempotency.finish(key, {status: c.res.status, body: await c.res.clone().text(), contentType: c.res.headers.get('Content-Type') ?? 'application/json'})
  })

  api.post('/identity/verification_sessions', (c) => c.json(sessions.create(parseCreateParams(c.get('params')), c.get('request'))))

  api.get('/identity/verification_sessions', (c) => {
    const params = c.get('params')
    const {status, client_reference_id, limit, starting_after, ending_before, expand, created} = params
    for (const key of Object.keys(params)) if (!LIST_PARAMS.includes(key)) throw parameterUnknown(key)
    if (status !== undefined && !isVerificationStatus(status)) {
      throw invalidRequest(`Invalid status: must be one of ${VERIFICATION_STATUSES.join(', ')}`, {param: 'status'})
    }
    let items = sessions.list({status: status as string | undefined, client_reference_id: client_reference_id as string | undefined})
    if (created !== undefined) items = items.filter((s) => matchesCreated(s.created, created))
    return c.json(paginate(items, {limit, starting_after, ending_before, expand}, SESSIONS_PATH, 'verification session'))
  })

  api.get('/identity/verification_sessions/:id', (c) => {
    parseExpandOnly(c.get('params'))
    return c.json(sessions.retrieve(c.req.param('id')))
  })

  api.post('/identity/verification_sessions/:id', (c) => c.json(sessions.update(c.req.param('id'), parseUpdateParams(c.get('params')))))

  api.post('/identity/verification_sessions/:id/cancel', (c) => {
    parseExpandOnly(c.get('params'))
    return c.json(sessions.cancel(c.req.param('id'), c.get('request')))
  })

  api.post('/identity/verification_sessions/:id/redact', (c) => {
    parseExpandOnly(c.get('params'))
    return c.json(sessions.redact(c.req.param('id'), c.get('request')))
  })

  api.get('/events', (c) => {
    const params = c.get('params')
    const {type, types} = params
    if (type !== undefined && typeof type !== 'string') throw invalidRequest('Invalid type: must be a string.', {param: 'type'})
    if (types !== undefined && (!Array.isArray(types) || types.some((t) => typeof t !== 'string'))) throw invalidRequest('Invalid array', {code: 'parameter_invalid_array', param: 'types'})
    if (type !== undefined && types !== undefined) throw invalidRequest('You may only specify one of these parameters: type, types.')
    const filter = type !== undefined ? [type] : (types as string[] | undefined)
    return c.json(paginate(events.list({types: filter}), params, '/v1/events', 'event'))
  })

  api.get('/events/:id', (c) => {
    const event = events.get(c.req.param('id'))
    if (!event) throw resourceMissing('event', c.req.param('id'))
    return c.json(event)
  })

  api.all('*', (c) => {
    throw new StripeApiError(404, {type: 'invalid_request_error', message: `Unrecognized request URL (${c.req.method}: ${c.req.path}). The emulator implements the Identity VerificationSession and Event endpoints only.`})
  })

  return api
}

/** Stripe's `created` filter: a timestamp, or `created[gt|gte|lt|lte]`. */
function matchesCreated(created: number, filter: FormParams[string]): boolean {
  if (typeof filter === 'string') return created === Number(filter)
  if (Array.isArray(filter)) throw invalidRequest('Invalid created: must be a timestamp or a range.', {param: 'created'})
  const bound = (name: string) => (typeof filter[name] === 'string' ? Number(filter[name]) : undefined)
  const [gt, gte, lt, lte] = ['gt', 'gte', 'lt', 'lte'].map(bound)
  return (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte)
}
