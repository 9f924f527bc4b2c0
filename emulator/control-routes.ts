import {Hono} from 'hono'
import type {EventLog} from './events.js'
import {parseFault, type FaultList} from './faults.js'
import type {SessionStore} from './sessions.js'
import {isOutcome, TEST_CASES} from './test-cases.js'
import type {WebhookDelivery} from './webhooks.js'

/** Routes for testers and tests: play a test case without a browser, inject faults, read delivery attempts. */
export function controlRoutes({sessions, events, webhooks, onFault}: {sessions: SessionStore; events: EventLog; webhooks: WebhookDelivery; onFault: FaultList['add']}): Hono {
  const app = new Hono()

  // `outcome=…` (form or JSON), plus `client_secret` when the modal submits; answers what Stripe.js resolves with.
  app.post('/verification_sessions/:id/submit', async (c) => {
    c.header('Cache-Control', 'no-store')
    const isJson = (c.req.header('Content-Type') ?? '').includes('application/json')
    const body = (isJson ? await c.req.json().catch(() => ({})) : await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>
    const id = c.req.param('id')
    if (!sessions.has(id)) return c.json({error: {type: 'invalid_request_error', code: 'resource_missing', message: `No such verification session: '${id}'`}}, 404)
    const {outcome, client_secret: clientSecret} = body
    if (!isOutcome(outcome)) {
      const names = TEST_CASES.map((t) => t.outcome).join(', ')
      return c.json({error: {type: 'invalid_request_error', code: 'parameter_invalid', message: `outcome must be one of ${names}.`}}, 400)
    }
    if (clientSecret !== undefined && typeof clientSecret !== 'string') {
      return c.json({error: {type: 'invalid_request_error', code: 'parameter_invalid', message: 'client_secret must be a string.'}}, 400)
    }
    const result = sessions.submit(id, outcome, clientSecret)
    const refused = 'error' in result && ['resource_missing', 'verification_session_unexpected_state'].includes(result.error.code)
    return c.json(result, refused ? 400 : 200)
  })

  app.post('/faults', async (c) => {
    const fault = parseFault(await c.req.json().catch(() => null))
    if (typeof fault === 'string') return c.json({error: {message: fault}}, 400)
    onFault(fault)
    return c.json({fault}, 201)
  })

  app.get('/events/:id/deliveries', (c) => {
    const event = events.get(c.req.param('id'))
    if (!event) return c.json({error: {message: `No such event: '${c.req.param('id')}'`}}, 404)
    return c.json({event: event.id, type: event.type, url: webhooks.url, attempts: webhooks.attempts(event.id)})
  })

  return app
}
