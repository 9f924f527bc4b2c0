/**
 * The shape a verified webhook event must have before anything of it reaches the store. A signature
 * proves who sent a payload, not that it is well formed: a malformed event is refused with 400, so
 * the store never sees a missing id or an object where a string belongs.
 */
import * as v from 'valibot'
import {VERIFICATION_EVENT_TYPES, VERIFICATION_STATUSES} from '../../protocol/verification-status.js'
import {EVENT_ID, isPrintableReference, MAX_REFERENCE_LENGTH, SESSION_ID} from './bounds.js'

const id = v.pipe(v.string(), v.nonEmpty())
/** What the store keeps of a session or its events: printable, at most 255 characters, an id of Stripe's shape. */
const tooLong = `at most ${MAX_REFERENCE_LENGTH} characters`
const eventId = v.pipe(v.string(), v.regex(EVENT_ID, `Invalid id: expected evt_ followed by letters, digits or _, ${tooLong}`))
const sessionId = v.pipe(v.string(), v.regex(SESSION_ID, `Invalid id: expected vs_ followed by letters, digits or _, ${tooLong}`))
const reference = v.pipe(v.string(), v.check(isPrintableReference, `Invalid reference: expected printable text of ${tooLong}`))
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
  id: sessionId,
  object: v.literal('identity.verification_session'),
  status: v.picklist(VERIFICATION_STATUSES),
  created: unixSeconds,
  last_error: v.nullable(jsonObject({code: v.nullish(reference)})),
  client_reference_id: v.nullable(v.union([v.literal(''), reference])),
  // The user's reference, when the server created the session; any other key is the site's own.
  metadata: v.pipe(v.unknown(), notArray, v.objectWithRest({user_id: v.optional(v.union([v.literal(''), reference]))}, v.string())),
})

/** An `identity.verification_session.*` event. */
const sessionEventSchema = jsonObject({
  id: eventId,
  type: v.picklist(Object.values(VERIFICATION_EVENT_TYPES)),
  created: unixSeconds,
  data: jsonObject({object: sessionSchema}),
})

export type SessionEvent = v.InferOutput<typeof sessionEventSchema>

/** What reading an event found. */
export type ReadEvent =
  {kind: 'session'; event: SessionEvent} | {kind: 'other'; id: string; type: string} | {kind: 'malformed'; id: string | null; type: string | null; problem: string}

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
