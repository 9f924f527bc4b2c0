/** Stripe's deliveries to a running `npm start`, signed with the secret it was started with. */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import Database from 'better-sqlite3'
import Stripe from 'stripe'

/** A webhook secret for a server started by a test. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`
}

/** An `identity.verification_session.verified` event of a new session of `userRef`, shaped as Stripe sends it. */
export function verifiedEvent(id: string, userRef = 'user_standalone') {
  const created = Math.floor(Date.now() / 1000)
  return {
    id,
    object: 'event',
    type: 'identity.verification_session.verified',
    created,
    data: {
      object: {
        id: `vs_${id}`,
        object: 'identity.verification_session',
        status: 'verified',
        created: created - 60,
        last_error: null,
        client_reference_id: userRef,
        metadata: {user_id: userRef},
      },
    },
  }
}

/** A `fetch` init POSTing `event` signed with `secret`, as Stripe does. */
export function signedDelivery(secret: string, event: object, signal?: AbortSignal): RequestInit {
  const body = JSON.stringify(event)
  const signature = Stripe.webhooks.generateTestHeaderString({payload: body, secret})
  return {method: 'POST', headers: {'content-type': 'application/json', 'stripe-signature': signature}, body, signal}
}

/** The event ids in the `events` table of the SQLite database at `path`, read by a connection of its own. */
export function storedEventIds(path: string): Set<string> {
  const db = new Database(path, {readonly: true})
  try {
    return new Set(db.prepare('SELECT id FROM events').pluck().all() as string[])
  } finally {
    db.close()
  }
}

/**
 * Asserts that a program's log tells a run of database failures in exactly one error line, whose
 * cause matches `cause`, and its end in one line more.
 */
export function assertFailuresToldOnce(output: string, cause: RegExp): void {
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as {level: string; msg: string; error?: {message?: string}})
  const errors = lines.filter((line) => line.level === 'error')
  assert.equal(errors.length, 1, JSON.stringify(errors))
  assert.match(errors[0]!.msg, /^the database fails/)
  assert.match(errors[0]!.error?.message ?? '', cause)
  assert.equal(lines.filter((line) => line.msg === 'the database answers again').length, 1)
}
