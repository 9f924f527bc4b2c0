/**
 * The `VerificationStore` of a Worker without `DATABASE_URL`: each call goes to the Durable Object
 * that keeps what it names (see objects.ts).
 *
 * - A user's object (`user:<userRef>`) keeps their sessions, events and create attempts: a session's
 *   events apply there one at a time, in one place, and a redelivery finds its id there. An event
 *   whose session names no user goes to one object of its own, where it changes nothing.
 * - Each rate counter has an object (`count:<counter>`): a limit holds across requests and isolates.
 * - One object counts the sessions submitted, told by session id before the webhook is answered.
 *
 * Calls not naming a user are routed by what this isolate saw: `markEventHandled` follows the
 * `recordEvent` of the same request, `getSession` finds the sessions this isolate created, read or
 * recorded (no route calls it).
 */
import type {DurableObjectNamespace} from 'cloudflare:workers'
import type {VerificationStore} from '../../server/web.js'
import type {SubmissionsObject, VerificationObject} from './objects.js'

/** The Worker's bindings of the two classes. */
export interface DurableObjectBindings {
  VERIFICATIONS: DurableObjectNamespace<VerificationObject>
  SUBMISSIONS: DurableObjectNamespace<SubmissionsObject>
}

const userObject = (userRef: string) => `user:${userRef}`
const NO_USER_OBJECT = 'no-user'
const counterObject = (counter: string) => `count:${counter}`
const SUBMISSIONS_OBJECT = 'submissions'

/** How many routes an isolate remembers (events awaiting `markEventHandled`, sessions by id). */
const REMEMBERED = 10_000

/** A map that forgets its oldest entries past `REMEMBERED`. */
class Recent<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    this.delete(key)
    super.set(key, value)
    if (this.size > REMEMBERED) this.delete(this.keys().next().value!)
    return this
  }
}

/**
 * What an isolate remembers of where things are, from one request to the next: the object of each
 * event recorded (for `markEventHandled`) and the user of each session seen (for `getSession`).
 */
export class ObjectRoutes {
  readonly sessionUsers = new Recent<string>()
  readonly eventObjects = new Recent<string>()
}

/**
 * The store over the Worker's Durable Objects, for one request: an object's stub serves only the
 * request that made it.
 */
export function durableObjectStore({VERIFICATIONS, SUBMISSIONS}: DurableObjectBindings, {sessionUsers, eventObjects}: ObjectRoutes): VerificationStore {
  const object = (name: string) => VERIFICATIONS.get(VERIFICATIONS.idFromName(name))
  const submissions = SUBMISSIONS.get(SUBMISSIONS.idFromName(SUBMISSIONS_OBJECT))
  const seen = <T extends {id: string; userRef: string} | null>(session: T): T => {
    if (session) sessionUsers.set(session.id, session.userRef)
    return session
  }
  return {
    latestSession: async (userRef) => seen(await object(userObject(userRef)).latestSession(userRef)),
    verifiedSession: async (userRef) => seen(await object(userObject(userRef)).verifiedSession(userRef)),
    async getSession(id) {
      const userRef = sessionUsers.get(id)
      return userRef === undefined ? null : object(userObject(userRef)).getSession(id)
    },
    countSessions: (userRef) => object(userObject(userRef)).countSessions(userRef),
    countSubmittedSessions: (from, to) => submissions.count(from, to),
    async insertSession(session) {
      await object(userObject(session.userRef)).insertSession(session)
      seen(session)
    },
    async recordEvent(event) {
      const name = event.session.userRef === null ? NO_USER_OBJECT : userObject(event.session.userRef)
      const {outcome, submitted} = await object(name).recordEvent(event)
      // Told before the webhook is answered: a failure here answers 500, and the redelivery tells again.
      if (submitted) await submissions.note(submitted.sessionId, submitted.submittedAt)
      if (outcome.kind !== 'tie') {
        eventObjects.set(event.eventId, name)
        seen(outcome.session)
      }
      return outcome
    },
    async markEventHandled(eventId) {
      const name = eventObjects.get(eventId)
      // Not seen here: the event's hooks run again on a redelivery, as after a failure.
      if (name === undefined) return
      eventObjects.delete(eventId)
      await object(name).markEventHandled(eventId)
    },
    takeCount: (key, windowEnd, max, at) => object(counterObject(key)).takeCount(key, windowEnd, max, at),
    releaseCount: (key, windowEnd) => object(counterObject(key)).releaseCount(key, windowEnd),
    claimAttempt: (userRef, seenSessionId) => object(userObject(userRef)).claimAttempt(userRef, seenSessionId),
    // The one object every create reads: it answers, so the objects do.
    ping: () => submissions.count(0, 0).then(() => undefined),
    close() {},
  }
}
