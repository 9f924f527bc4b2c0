import {Hono} from 'hono'
import Stripe from 'stripe'
import {ApiError} from '../http/api-error.js'
import type {ResolvedDeps} from './deps.js'
import {readBodyText} from '../http/body.js'
import {singleFlight} from './single-flight.js'
import {readEvent, type SessionEvent} from '../rules/event-schema.js'
import {VERIFICATION_EVENT_TYPES, isVerificationStatus, statusOfEvent} from '../../protocol/verification-status.js'
import type {RecordOutcome, VerificationEventRecord, VerificationRecord} from '../rules/records.js'
import {WEBHOOK_PATH} from '../../protocol/wire.js'

/** What recording an event did once it is recorded (a tie is not). */
type Recorded = Exclude<RecordOutcome, {kind: 'tie'}>

/** How far a signature's timestamp may be from now, in seconds, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300

function unverifiable(reason: string): ApiError {
  return new ApiError(400, `Webhook signature could not be verified: ${reason}`, 'invalid_signature')
}

/** The signature header's timestamp (Unix seconds), read the way stripe-node reads it (the last `t=`). */
function signedAt(header: string): number | null {
  let timestamp: string | null = null
  for (const item of header.split(',')) {
    const [key, value] = item.split('=')
    if (key === 't') timestamp = value ?? ''
  }
  return timestamp !== null && /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : null
}

/** What a well-formed VerificationSession event says about its session, as the store records it. */
function toEventRecord(event: SessionEvent, receivedAt: number, handled: boolean): VerificationEventRecord {
  const object = event.data.object
  return {
    eventId: event.id,
    type: event.type,
    created: event.created,
    receivedAt,
    handled,
    session: {
      id: object.id,
      userRef: object.metadata.user_id || object.client_reference_id || null,
      status: object.status,
      lastErrorCode: object.last_error?.code ?? null,
      createdAt: object.created * 1000,
    },
    status: statusOfEvent(event.type),
    redacted: event.type === VERIFICATION_EVENT_TYPES.redacted,
  }
}

/**
 * `POST /webhook`: verifies Stripe's signature on the raw body, then records the event and its
 * session's new status in one transaction and runs the hooks. 200 only once both are done; any
 * failure answers 500 so that Stripe delivers again, and the redelivery finishes the job.
 */
export function webhookRoute(deps: ResolvedDeps): Hono {
  const {stripe, store, logger, hooks, now} = deps
  const inFlight = new Map<string, Promise<void>>()

  async function verify(payload: string, header: string | undefined): Promise<Stripe.Event> {
    if (!header) throw unverifiable('no Stripe-Signature header')
    const timestamp = signedAt(header)
    if (timestamp === null) throw unverifiable('malformed Stripe-Signature header')
    // stripe-node refuses old timestamps only; one from the future is as suspect.
    if (timestamp - Math.floor(now() / 1000) > SIGNATURE_TOLERANCE_SECONDS) throw unverifiable('timestamp in the future')
    for (const secret of deps.webhookSecrets) {
      try {
        return await stripe.webhooks.constructEventAsync(
          payload,
          header,
          secret,
          SIGNATURE_TOLERANCE_SECONDS,
          // stripe-node's build for each runtime checks with that runtime's crypto: `node:crypto` on
          // Node (about 7 µs of CPU a delivery, against 40 µs for WebCrypto there), WebCrypto on
          // Workers, Bun and Deno.
          undefined,
          now(),
        )
      } catch (err) {
        if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw unverifiable('malformed payload')
      }
    }
    throw unverifiable('no secret matches, or the timestamp is too old')
  }

  async function runHooks(event: Stripe.Event, session: VerificationRecord | null): Promise<void> {
    await hooks.onEvent?.(event, session)
    if (!session) return
    // A hook runs only while its event describes the session's current status: a stale
    // `requires_input` arriving after `verified` must not ask the user to start again.
    if (session.status === 'verified' && event.type === VERIFICATION_EVENT_TYPES.verified) {
      await hooks.onVerified?.(session, event)
    }
    if (session.status === 'requires_input' && event.type === VERIFICATION_EVENT_TYPES.requires_input) {
      await hooks.onRequiresInput?.(session, event)
    }
  }

  // Without hooks an event is done once recorded: one transaction, one write to disk.
  const hasHooks = Boolean(hooks.onEvent || hooks.onVerified || hooks.onRequiresInput)
  // Nor does the answer need to wait for the recording, when the store can make the event durable first.
  const accept = hasHooks ? undefined : store.acceptEvent?.bind(store)

  /** Two events of the same second disagree: Stripe's current view of the session settles it. */
  async function recordResolved(record: VerificationEventRecord): Promise<Recorded> {
    const session = await stripe.identity.verificationSessions.retrieve(record.session.id)
    if (!isVerificationStatus(session.status)) throw new Error(`Stripe answered an unknown status`)
    const resolved = {status: session.status, lastErrorCode: session.last_error?.code ?? null}
    const outcome = await store.recordEvent({...record, resolved})
    if (outcome.kind === 'tie') throw new Error('The store did not apply a resolved status')
    return outcome
  }

  function logRecorded(record: VerificationEventRecord, outcome: Recorded): void {
    if (outcome.handled) {
      logger.info('webhook event already handled', {event: record.eventId, type: record.type})
      return
    }
    logger.info('webhook event recorded', {
      event: record.eventId,
      type: record.type,
      session: record.session.id,
      status: outcome.session?.status ?? null,
      redelivery: outcome.kind === 'duplicate',
    })
  }

  async function handle(event: Stripe.Event, record: VerificationEventRecord): Promise<void> {
    let outcome = await store.recordEvent(record)
    if (outcome.kind === 'tie') outcome = await recordResolved(record)
    if (hasHooks && !outcome.handled) {
      await runHooks(event, outcome.session)
      await store.markEventHandled(event.id)
    }
    logRecorded(record, outcome)
  }

  /**
   * An accepted event that ties or failed to be recorded, already answered: the store keeps it until
   * it is recorded with Stripe's status, tried again after a pause that doubles up to a minute, or at
   * the next start when Stripe has no such session.
   */
  function settleAccepted(record: VerificationEventRecord, attempt = 0): void {
    recordResolved(record).then(
      (outcome) => logRecorded(record, outcome),
      (err) => {
        // Stripe has no such session (an event of another account or mode): asking again cannot settle it.
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_missing') {
          logger.error('webhook event kept, Stripe has no such session: tried again at the next start', {
            event: record.eventId,
            type: record.type,
            session: record.session.id,
          })
          return
        }
        const retryInMs = Math.min(60_000, 1000 * 2 ** attempt)
        logger.warn('webhook event not recorded yet, trying again', {event: record.eventId, type: record.type, retryInMs, error: err})
        setTimeout(() => settleAccepted(record, attempt + 1), retryInMs).unref()
      },
    )
  }

  /** Answered once durable; logged (or settled with Stripe) once recorded. */
  async function acceptEvent(record: VerificationEventRecord): Promise<void> {
    const {recorded} = await accept!(record)
    recorded.then(
      (outcome) => (outcome.kind === 'tie' ? settleAccepted(record) : logRecorded(record, outcome)),
      (err) => {
        // Already answered: the store keeps it, and it is recorded again with Stripe's status.
        logger.error('webhook event could not be recorded, trying again', {event: record.eventId, type: record.type, error: err})
        settleAccepted(record)
      },
    )
  }

  // Events kept so before a restart.
  if (accept && store.pendingEvents) {
    Promise.resolve()
      .then(() => store.pendingEvents!())
      .then(
        (pending) => pending.forEach((record) => settleAccepted(record)),
        (err) => logger.error('webhook events waiting for Stripe could not be read', {error: err}),
      )
  }

  const route = new Hono()
  route.post(WEBHOOK_PATH, async (c) => {
    let event: Stripe.Event
    try {
      const payload = await readBodyText(c, deps.limits.maxWebhookBytes)
      event = await verify(payload, c.req.header('stripe-signature'))
    } catch (err) {
      logger.warn('webhook refused', {reason: err instanceof Error ? err.message : String(err)})
      throw err
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
    // Without hooks, an event is handled once recorded.
    const record = toEventRecord(read.event, now(), !hasHooks)
    try {
      if (accept) await acceptEvent(record)
      // A concurrent redelivery of the same event waits for this one instead of running hooks twice.
      else await singleFlight(inFlight, event.id, () => handle(event, record))
    } catch (err) {
      logger.error('webhook event failed, Stripe will deliver it again', {event: event.id, type: event.type, error: err})
      throw new ApiError(500, 'The event could not be recorded', 'webhook_failed')
    }
    return c.json({received: true})
  })
  return route
}
