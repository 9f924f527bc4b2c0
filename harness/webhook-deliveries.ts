/**
 * Stripe's webhook deliveries as a load: the signed events of many sessions in a realistic order per
 * session, redelivered in part and shuffled, and what a serial replay of them leaves. Shared by the
 * scale-out test and the Durable Objects test, which both check a concurrent load against the replay.
 */
import assert from 'node:assert/strict'
import Stripe from 'stripe'
import {createApp} from '../server/app.js'
import {openSqliteStore} from '../server/store/sqlite/index.js'
import {createStripeClient} from '../server/stripe/client.js'
import type {VerificationStore} from '../server/store/store.js'
import {VERIFICATION_EVENT_TYPES, type VerificationStatus} from '../protocol/verification-status.js'

/** One delivery of an event, as Stripe sends it (signed when sent). */
export interface Delivery {
  eventId: string
  payload: string
}

/** The status session `i` of `deliveries` ends with: the one its newest event shows. */
export function finalStatus(i: number): VerificationStatus {
  if (i % 3 === 0) return 'verified'
  if (i % 3 === 1) return 'canceled'
  return i % 10 === 0 ? 'processing' : 'requires_input'
}

/**
 * The events of `count` sessions (`vs_<prefix>_<i>` of user `user_<prefix>_<i>`), eight each with
 * growing `created`: they are submitted and sent back for more input, then one in three is verified
 * and one in three canceled at the fourth, and later events (late ones, after a final status) keep
 * arriving; one in ten is redacted last. Then one in five deliveries again (a duplicate) and all of
 * it shuffled.
 */
export function deliveries(prefix: string, count: number): Delivery[] {
  const unique: Delivery[] = []
  const base = Math.floor(Date.now() / 1000) - 3600
  for (let i = 0; i < count; i++) {
    for (let round = 0; round < 8; round++) {
      let status: VerificationStatus | 'redacted' = round % 2 === 0 ? 'processing' : 'requires_input'
      if (round === 3 && i % 3 === 0) status = 'verified'
      if (round === 3 && i % 3 === 1) status = 'canceled'
      if (round === 7 && i % 10 === 0) status = 'redacted'
      // A redacted session keeps the status it had: its newest.
      const sessionStatus: VerificationStatus = status === 'redacted' ? finalStatus(i) : status
      const eventId = `evt_${prefix}_${i}_${round}`
      const event = {
        id: eventId,
        object: 'event',
        created: base + round,
        type: VERIFICATION_EVENT_TYPES[status],
        data: {
          object: {
            id: `vs_${prefix}_${i}`,
            object: 'identity.verification_session',
            client_reference_id: `user_${prefix}_${i}`,
            metadata: {user_id: `user_${prefix}_${i}`},
            created: base - 60,
            status: sessionStatus,
            last_error: sessionStatus === 'requires_input' ? {code: round % 4 === 1 ? 'document_expired' : 'document_unverified_other'} : null,
            redaction: null,
          },
        },
      }
      unique.push({eventId, payload: JSON.stringify(event)})
    }
  }
  const all = [...unique]
  for (let n = 0; n < unique.length / 4; n++) all.push(unique[Math.floor(Math.random() * unique.length)]!)
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[all[i], all[j]] = [all[j]!, all[i]!]
  }
  return all
}

/** The headers of a delivery signed now with `secret`, as Stripe signs. */
export function deliveryHeaders(payload: string, secret: string): Record<string, string> {
  return {'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({payload, secret})}
}

/** POSTs one delivery to the server at `url`; its HTTP status, or 0 when the connection failed. */
export async function postDelivery(url: string, {payload}: Delivery, secret: string): Promise<number> {
  try {
    const response = await fetch(`${url}/webhook`, {method: 'POST', headers: deliveryHeaders(payload, secret), body: payload, signal: AbortSignal.timeout(15_000)})
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}

/** What a load observed. */
export interface LoadResult {
  /** Event ids of the deliveries some server answered 200. */
  acknowledged: Set<string>
  /** Every answer other than 200, by status (0: no connection). */
  failures: Record<number, number>
}

/** How `sendDeliveries` sends. */
export interface LoadOptions {
  /** How many deliveries are under way at once (default 16). */
  concurrency?: number
  /** Runs once when that share of the deliveries has been sent. */
  atProgress?: {share: number; run(): void | Promise<void>}
}

/**
 * Sends the deliveries to the servers at `urls` at `concurrency`, taking turns, the way Stripe does:
 * each until it is answered 200, trying again (on the next server) after a failure.
 */
export async function sendDeliveries(urls: readonly string[], list: readonly Delivery[], secret: string, {concurrency = 16, atProgress}: LoadOptions = {}): Promise<LoadResult> {
  const acknowledged = new Set<string>()
  const failures: Record<number, number> = {}
  let next = 0
  let triggered: Promise<void> | null = null
  const worker = async () => {
    while (next < list.length) {
      const index = next++
      if (atProgress && !triggered && index >= list.length * atProgress.share) triggered = Promise.resolve(atProgress.run())
      const delivery = list[index]!
      const deadline = Date.now() + 60_000
      for (let attempt = index; ; attempt++) {
        const status = await postDelivery(urls[attempt % urls.length]!, delivery, secret)
        if (status === 200) {
          acknowledged.add(delivery.eventId)
          break
        }
        failures[status] = (failures[status] ?? 0) + 1
        if (Date.now() > deadline) throw new Error(`${delivery.eventId} still not recorded after a minute (last answer ${status})`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }
  await Promise.all(Array.from({length: concurrency}, worker))
  await triggered
  return {acknowledged, failures}
}

/** The sessions a serial replay of the deliveries, one at a time through one server, leaves (close it after). */
export async function serialReplay(list: readonly Delivery[], secret: string): Promise<VerificationStore> {
  const replayStore = openSqliteStore(':memory:')
  const app = createApp({
    stripe: createStripeClient({secretKey: 'sk_test_replay', emulatorUrl: 'http://127.0.0.1:9', maxNetworkRetries: 0}),
    webhookSecret: secret,
    store: replayStore,
    publicUrl: 'http://localhost',
    authenticate: () => null,
  })
  for (const {payload} of list) {
    const response = await app.request('/webhook', {method: 'POST', headers: deliveryHeaders(payload, secret), body: payload})
    assert.equal(response.status, 200)
  }
  return replayStore
}
