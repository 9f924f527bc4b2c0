import {Hono} from 'hono'
import type Stripe from 'stripe'
import {ApiError} from '../http/api-error.js'
import {readBodyText} from '../http/body.js'
import {toEventRecord} from '../rules/event-record.js'
import {readEvent} from '../rules/event-schema.js'
import type {RecordOutcome, VerificationEventRecord, VerificationRecord} from '../rules/records.js'
import {UnverifiableWebhook, verifyWebhook} from '../stripe/webhook-signature.js'
import {VERIFICATION_EVENT_TYPES, isVerificationStatus} from '../../protocol/verification-status.js'
import {WEBHOOK_PATH} from '../../protocol/wire.js'
import type {ResolvedDeps} from './deps.js'
import {singleFlight} from './single-flight.js'
import {STORE_UNAVAILABLE} from './store-unavailable.js'

/** What recording an event did once it is recorded (a tie is not). */
type Recorded = Exclude<RecordOutcome, {kind: 'tie'}>

/**
 * Records verified events and runs the hooks: an event is done when the store committed it and its
 * hooks ran; a failure anywhere throws, and Stripe's redelivery finishes the job.
 */
function eventHandler({stripe, store, logger, hooks}: ResolvedDeps) {
  const hasHooks = Boolean(hooks.onEvent || hooks.onVerified || hooks.onRequiresInput)

  async function runHooks(event: Stripe.Event, session: VerificationRecord | null): Promise<void> {
    await hooks.onEvent?.(event, session)
    if (!session) return
    // A hook runs only while its event describes the session's current status: a stale
    // `requires_input` arriving after `verified` must not ask the user to start again.
    if (session.status === 'verified' && event.type === VERIFICATION_EVENT_TYPES.verified) await hooks.onVerified?.(session, event)
    if (session.status === 'requires_input' && event.type === VERIFICATION_EVENT_TYPES.requires_input) {
      await hooks.onRequiresInput?.(session, event)
    }
  }

  /** Two events of the same second disagree: Stripe's current view of the session settles it. */
  async function recordResolved(record: VerificationEventRecord): Promise<Recorded> {
    const session = await stripe.identity.verificationSessions.retrieve(record.session.id)
    if (!isVerificationStatus(session.status)) throw new Error('Stripe answered an unknown status')
    const outcome = await store.recordEvent({...record, resolved: {status: session.status, lastErrorCode: session.last_error?.code ?? null}})
    if (outcome.kind === 'tie') throw new Error('The store did not apply a resolved status')
    return outcome
  }

  return {
    /** Without hooks, an event is handled once recorded: one transaction, one sync to disk. */
    hasHooks,
    async handle(event: Stripe.Event, record: VerificationEventRecord): Promise<void> {
      let outcome = await store.recordEvent(record)
      if (outcome.kind === 'tie') outcome = await recordResolved(record)
      if (hasHooks && !outcome.handled) {
        await runHooks(event, outcome.session)
        await store.markEventHandled(event.id)
      }
      if (outcome.handled) return logger.info('webhook event already handled', {event: record.eventId, type: record.type})
      logger.info('webhook event recorded', {
        event: record.eventId,
        type: record.type,
        session: record.session.id,
        status: outcome.session?.status ?? null,
        redelivery: outcome.kind === 'duplicate',
      })
    },
  }
}

/**
 * `POST /webhook`: verifies Stripe's signature on the raw body, then records the event and its
 * session's new status in one transaction and runs the hooks. 200 only once the transaction is
 * committed and the hooks ran; any failure answers 500 so that Stripe delivers again, and the
 * redelivery finishes the job.
 */
export function webhookRoute(deps: ResolvedDeps): Hono {
  const {logger, now} = deps
  const handler = eventHandler(deps)
  const verifier = {stripe: deps.stripe, secrets: deps.webhookSecrets, now}
  const inFlight = new Map<string, Promise<void>>()

  const route = new Hono()
  route.post(WEBHOOK_PATH, async (c) => {
    let event: Stripe.Event
    try {
      event = await verifyWebhook(verifier, await readBodyText(c, deps.limits.maxWebhookBytes), c.req.header('stripe-signature'))
    } catch (err) {
      logger.warn('webhook refused', {reason: err instanceof Error ? err.message : String(err)})
      throw err instanceof UnverifiableWebhook ? new ApiError(400, err.message, 'invalid_signature') : err
    }
    // Signed is not well formed: refused with 400, which Stripe shows, instead of failing in the store with 500.
    const read = readEvent(event)
    if (read.kind === 'malformed') {
      logger.warn('webhook event refused', {event: read.id, type: read.type, reason: read.problem})
      throw new ApiError(400, `The event is not a well-formed event: ${read.problem}`, 'malformed_event')
    }
    if (read.kind === 'other') {
      logger.info('webhook event ignored', {event: read.id, type: read.type})
      return c.json({received: true})
    }
    const record = toEventRecord(read.event, now(), !handler.hasHooks)
    try {
      // A concurrent redelivery of the same event waits for this one instead of running hooks twice.
      await singleFlight(inFlight, event.id, () => handler.handle(event, record))
    } catch (err) {
      // The database failing is told once for all the requests it fails (see answeringUnavailable).
      const storeFailed = err instanceof ApiError && err.code === STORE_UNAVAILABLE
      logger[storeFailed ? 'warn' : 'error']('webhook event failed, Stripe will deliver it again', {
        event: event.id,
        type: event.type,
        error: storeFailed ? STORE_UNAVAILABLE : err,
      })
      throw new ApiError(500, 'The event could not be recorded', 'webhook_failed')
    }
    return c.json({received: true})
  })
  return route
}
