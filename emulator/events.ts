import Stripe from 'stripe'
import type {VerificationEventType} from '../protocol/verification-status.js'
import {stripeId} from './ids.js'
import {redactSession} from './redaction.js'
import type {EventRequest} from './sessions.js'

/** The emulator only emits VerificationSession events, so its events are typed as those. */
export type VerificationEvent = Extract<Stripe.Event, {type: VerificationEventType}>

/** Every event emitted, in order, as `GET /v1/events` lists them. */
export class EventLog {
  readonly #events: VerificationEvent[] = []
  readonly #byId = new Map<string, VerificationEvent>()

  constructor(private readonly onRecord: (event: VerificationEvent) => void) {}

  /** Records an event about a session and hands it to delivery. */
  record(type: VerificationEventType, object: Stripe.Identity.VerificationSession, request: EventRequest): VerificationEvent {
    const event = {
      id: stripeId('evt'),
      object: 'event',
      // Events carry the account's API version; the emulator's account is pinned to stripe-node's.
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      data: {object},
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
    } as VerificationEvent
    this.#events.push(event)
    this.#byId.set(event.id, event)
    this.onRecord(event)
    return event
  }

  /** One event, or undefined. */
  get(id: string): VerificationEvent | undefined {
    return this.#byId.get(id)
  }

  /**
   * Events newest first. `types` may end in `*` as Stripe's filter allows (`identity.verification_session.*`);
   * `delivery_success` true keeps the events delivered, false those still pending or given up on.
   */
  list(filter: {types?: string[]; created?: (event: {created: number}) => boolean; delivery_success?: boolean} = {}): VerificationEvent[] {
    const matchers = filter.types?.map((t) => (t.endsWith('*') ? (s: string) => s.startsWith(t.slice(0, -1)) : (s: string) => s === t))
    const out: VerificationEvent[] = []
    for (let i = this.#events.length - 1; i >= 0; i--) {
      const event = this.#events[i]
      if (matchers && !matchers.some((m) => m(event.type))) continue
      if (filter.created && !filter.created(event)) continue
      if (filter.delivery_success !== undefined && filter.delivery_success !== (event.pending_webhooks === 0)) continue
      out.push(event)
    }
    return out
  }

  /** Erases the personal data of every event about a session, in place: later deliveries carry the redacted copy too. */
  redactSession(sessionId: string): void {
    for (const event of this.forSession(sessionId)) event.data.object = redactSession(event.data.object)
  }

  /** A session's events, oldest first (the order they happened in). */
  forSession(sessionId: string): VerificationEvent[] {
    return this.#events.filter((e) => e.data.object.id === sessionId)
  }
}
