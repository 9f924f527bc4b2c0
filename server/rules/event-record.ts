import {statusOfEvent, VERIFICATION_EVENT_TYPES} from '../../protocol/verification-status.js'
import type {SessionEvent} from './event-schema.js'
import type {VerificationEventRecord} from './records.js'

/**
 * What a well-formed VerificationSession event says about its session, as the store records it,
 * received at `receivedAt`; `handled` when nothing is left to run for it once recorded (no hooks).
 */
export function toEventRecord(event: SessionEvent, receivedAt: number, handled: boolean): VerificationEventRecord {
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
