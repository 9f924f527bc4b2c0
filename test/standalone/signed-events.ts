/** Stripe's deliveries to a running `npm start`, signed with the secret it was started with. */
import {randomBytes} from 'node:crypto'
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
