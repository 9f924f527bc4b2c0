import {createHmac} from 'node:crypto'
import type {Logger} from '../server/log/logger.js'
import type {VerificationEvent} from './events.js'

/** The `Stripe-Signature` header for a payload: `t=…,v1=…`, the hex HMAC-SHA256 of `${t}.${payload}` keyed with the whole `whsec_…` secret. */
export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')
  return `t=${timestamp},v1=${v1}`
}

/** One try at delivering an event, as the dashboard shows it. */
export interface DeliveryAttempt {
  attempt: number
  /** ISO time the attempt started. */
  at: string
  url: string
  /** The receiver's HTTP status, or null when there was no answer. */
  statusCode: number | null
  /** Why there was no answer (connection refused, time-out). */
  error: string | null
  durationMs: number
  /** Whether a person asked for it from the dashboard. */
  manual: boolean
}

export interface WebhookOptions {
  secret: string
  url: string
  retryDelaysMs: number[]
  timeoutMs: number
  logger: Logger
}

const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)'

/**
 * Delivers events to the forward URL as Stripe does: each event POSTed on its own (never waiting
 * for an earlier one), signed anew per attempt, retried with backoff on a non-2xx answer, a
 * connection error or a time-out, and every attempt recorded.
 */
export class WebhookDelivery {
  #url: string
  readonly #attempts = new Map<string, DeliveryAttempt[]>()
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #inFlight = new Set<AbortController>()
  #closed = false

  constructor(private readonly options: WebhookOptions) {
    this.#url = options.url
  }

  /** Where events go from now on. */
  setUrl(url: string): void {
    this.#url = url
  }

  get url(): string {
    return this.#url
  }

  /** Queues an event's delivery; returns at once so the API answer never waits for it. */
  deliver(event: VerificationEvent): void {
    this.#attempts.set(event.id, [])
    this.#schedule(event, 0, false)
  }

  /** Delivers an event once more, as the dashboard's resend button does (one attempt, not retried). */
  resend(event: VerificationEvent): void {
    if (!this.#attempts.has(event.id)) this.#attempts.set(event.id, [])
    this.#schedule(event, 0, true)
  }

  /** The attempts made for an event, oldest first. */
  attempts(eventId: string): readonly DeliveryAttempt[] {
    return this.#attempts.get(eventId) ?? []
  }

  /** Cancels pending retries and aborts attempts in flight. */
  close(): void {
    this.#closed = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    for (const controller of this.#inFlight) controller.abort()
  }

  #schedule(event: VerificationEvent, delayMs: number, manual: boolean): void {
    if (this.#closed) return
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      void this.#attempt(event, manual)
    }, delayMs)
    this.#timers.add(timer)
  }

  async #attempt(event: VerificationEvent, manual: boolean): Promise<void> {
    const attempts = this.#attempts.get(event.id)!
    const number = attempts.length + 1
    const payload = JSON.stringify(event, null, 2)
    const url = this.#url
    const started = Date.now()
    const controller = new AbortController()
    this.#inFlight.add(controller)
    const timeout = setTimeout(() => controller.abort(new Error(`timed out after ${this.options.timeoutMs} ms`)), this.options.timeoutMs)
    let statusCode: number | null = null
    let error: string | null = null
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': USER_AGENT,
          'Stripe-Signature': signPayload(payload, this.options.secret),
          'Cache-Control': 'no-cache',
          Accept: '*/*; q=0.5, application/xml',
        },
        body: payload,
        signal: controller.signal,
        redirect: 'manual',
      })
      statusCode = response.status
      await response.arrayBuffer().catch(() => undefined)
    } catch (err) {
      const reason = controller.signal.aborted ? controller.signal.reason : err
      error = describe(reason)
    } finally {
      clearTimeout(timeout)
      this.#inFlight.delete(controller)
    }
    if (this.#closed && statusCode === null) return
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300
    const record: DeliveryAttempt = {attempt: number, at: new Date(started).toISOString(), url, statusCode, error, durationMs: Date.now() - started, manual}
    attempts.push(record)
    if (ok) event.pending_webhooks = 0
    const fields = {event: event.id, type: event.type, attempt: number, status: statusCode, error: error ?? undefined, ms: record.durationMs, url, manual: manual || undefined}
    if (ok) this.options.logger.info('webhook delivered', fields)
    else this.options.logger.warn('webhook delivery failed', fields)
    if (ok || manual) return
    const automatic = attempts.filter((a) => !a.manual).length
    const delay = this.options.retryDelaysMs[automatic - 1]
    if (delay !== undefined) this.#schedule(event, delay, false)
    else this.options.logger.error('webhook delivery gave up', {event: event.id, type: event.type, attempts: automatic})
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    // fetch hides the reason (ECONNREFUSED, bad port…) in its cause.
    const cause = (err as Error & {cause?: {code?: string; message?: string}}).cause
    return cause?.code ?? cause?.message ?? err.message
  }
  return String(err)
}
