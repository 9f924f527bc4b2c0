import {Hono} from 'hono'
import {createLogger, type Logger} from '../server/log/logger.js'
import {apiRoutes} from './api-routes.js'
import {controlRoutes} from './control-routes.js'
import {dashboardRoutes} from './dashboard.js'
import {EventLog} from './events.js'
import {FaultList, type Fault} from './faults.js'
import {HostedPages} from './hosted-page.js'
import {IdempotencyKeys} from './idempotency.js'
import {modalRoutes} from './modal-routes.js'
import {ReportStore} from './reports.js'
import {SessionStore} from './sessions.js'
import {WebhookDelivery} from './webhooks.js'

/** How an emulator behaves. */
export interface EmulatorOptions {
  /** The `whsec_…` secret events are signed with. */
  webhookSecret: string
  /** Where events are POSTed; `http://localhost:4242/webhook` by default. */
  webhookUrl?: string
  /** Waits between delivery attempts; 1, 2, 4, 8, 16, 32 s by default. */
  retryDelaysMs?: number[]
  /** Time-out of one delivery attempt; 10 s by default. */
  deliveryTimeoutMs?: number
  /** How long the `processing` test case stays processing before it is verified; 3 s by default. */
  processingDelayMs?: number
  /** Where log lines go; stdout by default. */
  logger?: Logger
  /** Sees every request and a copy of its answer (the test suite checks the answers against Stripe's schema). */
  observe?: (request: Request, response: Response) => void
}

/** An emulator's app and the state behind it. */
export interface Emulator {
  app: Hono
  setWebhookUrl(url: string): void
  injectFault(fault: Fault): void
  /** Cancels pending retries and timers. */
  close(): void
}

export const DEFAULT_WEBHOOK_URL = 'http://localhost:4242/webhook'
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000]

/** Builds the emulator's Hono app: the REST API under `/v1`, `/stripe.js` and its modal, each session's hosted page (`/start/…`), `/emulator/*` and `/dashboard`. */
export function createEmulator(options: EmulatorOptions): Emulator {
  if (!options.webhookSecret?.startsWith('whsec_')) throw new Error('webhookSecret must be a whsec_… signing secret.')
  const logger = options.logger ?? createLogger()
  const webhooks = new WebhookDelivery({
    secret: options.webhookSecret,
    url: options.webhookUrl ?? DEFAULT_WEBHOOK_URL,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    logger,
  })
  const events = new EventLog((event) => webhooks.deliver(event))
  const reports = new ReportStore()
  const hosted = new HostedPages()
  const sessions = new SessionStore({
    emit: (type, session, request) => events.record(type, session, request),
    reports,
    onRedact: (id) => events.redactSession(id),
    processingDelayMs: options.processingDelayMs ?? 3000,
    hostedUrl: (id, returnUrl) => hosted.urlFor(id, returnUrl),
  })
  const faults = new FaultList()

  const app = new Hono()
  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    // The path only: query strings are never logged.
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      request_id: c.res.headers.get('Request-Id') ?? undefined,
    })
    options.observe?.(c.req.raw, c.res.clone())
  })
  app.use('/v1/*', (c, next) => (hosted.seen(c.req.url), next()))
  app.route('/v1', apiRoutes({sessions, reports, events, faults, idempotency: new IdempotencyKeys()}))
  app.route('/', modalRoutes(sessions))
  app.route('/', hosted.routes(sessions))
  app.route('/emulator', controlRoutes({sessions, events, webhooks, onFault: (fault) => faults.add(fault)}))
  app.route('/dashboard', dashboardRoutes({sessions, events, webhooks}))
  app.get('/', (c) => c.redirect('/dashboard'))

  return {
    app,
    setWebhookUrl: (url) => webhooks.setUrl(url),
    injectFault: (fault) => faults.add(fault),
    close: () => {
      sessions.close()
      webhooks.close()
    },
  }
}
