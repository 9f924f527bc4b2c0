/**
 * The shape a verified webhook event must have before anything of it reaches the store. A signature
 * proves who sent a payload, not that it is well formed: a malformed event is refused with 400, so
 * the store never sees a missing id or an object where a string belongs.
 */
import * as v from 'valibot'
import {VERIFICATION_EVENT_TYPES, VERIFICATION_STATUSES} from '../../protocol/verification-status.js'

const id = v.pipe(v.string(), v.nonEmpty())
/** Stripe's timestamps: whole Unix seconds. */
const unixSeconds = v.pipe(v.number(), v.safeInteger(), v.minValue(0))

/** Valibot's objects and records take arrays too, which Stripe never sends where it sends an object. */
const notArray = v.check((value: unknown) => !Array.isArray(value), 'Invalid type: Expected Object but received Array')
/** A JSON object (not an array) with these fields. */
const jsonObject = <const T extends v.ObjectEntries>(entries: T) => v.pipe(v.unknown(), notArray, v.object(entries))

/** What every event has: an id to de-duplicate it and a type to dispatch on. */
const envelopeSchema = jsonObject({id, type: v.string()})

/** A VerificationSession as its events carry it: the fields the server reads, each required, as Stripe always sends them. */
const sessionSchema = jsonObject({
  id,
  object: v.literal('identity.verification_session'),
  status: v.picklist(VERIFICATION_STATUSES),
  created: unixSeconds,
  last_error: v.nullable(jsonObject({code: v.nullish(v.string())})),
  client_reference_id: v.nullable(v.string()),
  metadata: v.pipe(v.unknown(), notArray, v.record(v.string(), v.string())),
})

/** An `identity.verification_session.*` event. */
const sessionEventSchema = jsonObject({
  id,
  type: v.picklist(Object.values(VERIFICATION_EVENT_TYPES)),
  created: unixSeconds,
  data: jsonObject({object: sessionSchema}),
})

export type SessionEvent = v.InferOutput<typeof sessionEventSchema>

/** What reading an event found. */
export type ReadEvent =
  | {kind: 'session'; event: SessionEvent}
  | {kind: 'other'; id: string; type: string}
  | {kind: 'malformed'; id: string | null; type: string | null; problem: string}

const SESSION_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(VERIFICATION_EVENT_TYPES))

/** Where the first problem is and what it is, e.g. `data.object.created: Invalid type: Expected number but received "1"`. */
function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const [issue] = issues
  const path = v.getDotPath(issue!)
  return path ? `${path}: ${issue!.message}` : issue!.message
}

/** Reads a verified event: a VerificationSession event with every field it needs, another type, or malformed. */
export function readEvent(payload: unknown): ReadEvent {
  const envelope = v.safeParse(envelopeSchema, payload)
  if (!envelope.success) return {kind: 'malformed', id: null, type: null, problem: describe(envelope.issues)}
  const {id, type} = envelope.output
  if (!SESSION_EVENT_TYPES.has(type)) return {kind: 'other', id, type}
  const event = v.safeParse(sessionEventSchema, payload)
  if (!event.success) return {kind: 'malformed', id, type, problem: describe(event.issues)}
  return {kind: 'session', event: event.output}
}
