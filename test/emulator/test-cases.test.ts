import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import type Stripe from 'stripe'
import {startEmulator, type RunningEmulator} from '../../emulator/index.js'
import {silentLogger} from '../../server/log/logger.js'
import {createStripeClient} from '../../server/stripe/client.js'
import {startReceiver} from './receiver.js'

const SECRET = 'whsec_test_cases'
let emulator: RunningEmulator
let stripe: Stripe
let receiver: Awaited<ReturnType<typeof startReceiver>>

before(async () => {
  receiver = await startReceiver()
  emulator = await startEmulator({webhookSecret: SECRET, webhookUrl: receiver.url, retryDelaysMs: [], processingDelayMs: 80, logger: silentLogger})
  stripe = createStripeClient({secretKey: 'sk_test_cases', emulatorUrl: emulator.url, maxNetworkRetries: 0})
})
after(async () => {
  await emulator.close()
  await receiver.close()
})

async function submit(id: string, body: Record<string, string>, json = false) {
  const res = await fetch(`${emulator.url}/emulator/verification_sessions/${id}/submit`, {
    method: 'POST',
    ...(json ? {headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)} : {body: new URLSearchParams(body)}),
  })
  return {status: res.status, body: (await res.json()) as {verificationSession?: {id: string}; error?: {type: string; code: string; message: string}}}
}

/**
 * A session's event types in the order the emulator emitted them, once the receiver got each of
 * them. Deliveries run side by side (none waits for an earlier acknowledgement), so arrival order
 * may differ; the emitted order is what `GET /v1/events` shows.
 */
async function deliveredTypes(id: string, count: number): Promise<string[]> {
  const mine = () => receiver.events().filter((e) => e.data.object.id === id)
  await receiver.waitFor(() => mine().length >= count)
  await new Promise((resolve) => setTimeout(resolve, 30))
  const emitted = (await stripe.events.list({limit: 100})).data.filter((e) => (e.data.object as {id: string}).id === id).reverse()
  assert.deepEqual(
    mine()
      .map((e) => e.id)
      .sort(),
    emitted.map((e) => e.id).sort(),
    'every emitted event was delivered once',
  )
  return emitted.map((e) => e.type.replace('identity.verification_session.', ''))
}

const cases = [
  {outcome: 'verified', status: 'verified', lastError: null, events: ['created', 'processing', 'verified'], result: 'session'},
  {outcome: 'document_unverified', status: 'requires_input', lastError: 'document_unverified_other', events: ['created', 'processing', 'requires_input'], result: 'session'},
  {outcome: 'document_expired', status: 'requires_input', lastError: 'document_expired', events: ['created', 'processing', 'requires_input'], result: 'session'},
  {outcome: 'consent_declined', status: 'requires_input', lastError: 'consent_declined', events: ['created', 'requires_input'], result: 'consent_declined'},
  {outcome: 'device_unsupported', status: 'requires_input', lastError: 'device_not_supported', events: ['created', 'requires_input'], result: 'device_unsupported'},
  {outcome: 'under_supported_age', status: 'requires_input', lastError: 'under_supported_age', events: ['created', 'requires_input'], result: 'under_supported_age'},
  {outcome: 'close', status: 'requires_input', lastError: null, events: ['created'], result: 'session_cancelled'},
] as const

describe('test cases submitted without a browser', () => {
  for (const c of cases) {
    it(`${c.outcome}: ends ${c.status} with last_error ${c.lastError}, emitting ${c.events.join(' → ')}`, async () => {
      const session = await stripe.identity.verificationSessions.create({type: 'document'})
      const {status, body} = await submit(session.id, {outcome: c.outcome})
      assert.equal(status, 200)
      if (c.result === 'session') assert.deepEqual(body, {verificationSession: {id: session.id}})
      else assert.equal(body.error?.code, c.result)
      const after = await stripe.identity.verificationSessions.retrieve(session.id)
      assert.equal(after.status, c.status)
      assert.equal(after.last_error?.code ?? null, c.lastError)
      assert.deepEqual(await deliveredTypes(session.id, c.events.length), c.events)
      if (c.lastError) {
        const [latest] = (await stripe.events.list({limit: 1})).data
        const delivered = receiver.events().find((e) => e.id === latest.id)!
        assert.equal(delivered.data.object.last_error?.code, c.lastError)
      }
    })
  }

  it('processing: stays processing, then is verified after the processing delay', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    await submit(session.id, {outcome: 'processing'}, true)
    assert.equal((await stripe.identity.verificationSessions.retrieve(session.id)).status, 'processing')
    assert.deepEqual(await deliveredTypes(session.id, 3), ['created', 'processing', 'verified'])
    assert.equal((await stripe.identity.verificationSessions.retrieve(session.id)).status, 'verified')
  })

  it('lets a session that failed its checks be submitted again, then verified', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    await submit(session.id, {outcome: 'document_expired'})
    await submit(session.id, {outcome: 'verified'})
    const verified = await stripe.identity.verificationSessions.retrieve(session.id)
    assert.equal(verified.status, 'verified')
    assert.equal(verified.last_error, null)
  })

  it('answers 400 for an unknown outcome and for a session that is not requires_input, 404 for an unknown session', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    assert.equal((await submit(session.id, {outcome: 'teleport'})).status, 400)
    await stripe.identity.verificationSessions.cancel(session.id)
    const refused = await submit(session.id, {outcome: 'verified'})
    assert.equal(refused.status, 400)
    assert.match(refused.body.error!.message, /status of canceled/)
    assert.equal((await submit('vs_unknown', {outcome: 'verified'})).status, 404)
  })
})

describe('client secrets in the modal', () => {
  it('accepts each issued secret once, and refuses a used one', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    const older = session.client_secret!
    const newer = (await stripe.identity.verificationSessions.retrieve(session.id)).client_secret!
    // A secret issued earlier stays usable until used, as Stripe's are.
    const declined = await submit(session.id, {outcome: 'consent_declined', client_secret: older})
    assert.equal(declined.body.error?.code, 'consent_declined')
    const reused = await submit(session.id, {outcome: 'verified', client_secret: older})
    assert.equal(reused.status, 400)
    assert.equal(reused.body.error?.type, 'invalid_request_error')
    const ok = await submit(session.id, {outcome: 'verified', client_secret: newer})
    assert.deepEqual(ok.body, {verificationSession: {id: session.id}})
  })

  it('keeps a secret usable after the user closes the modal', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    const closed = await submit(session.id, {outcome: 'close', client_secret: session.client_secret!})
    assert.equal(closed.body.error?.code, 'session_cancelled')
    assert.equal((await submit(session.id, {outcome: 'verified', client_secret: session.client_secret!})).status, 200)
  })

  it('refuses an unknown secret and a secret of another session', async () => {
    const a = await stripe.identity.verificationSessions.create({type: 'document'})
    const b = await stripe.identity.verificationSessions.create({type: 'document'})
    assert.equal((await submit(a.id, {outcome: 'verified', client_secret: `${a.id}_secret_test_forged`})).body.error?.code, 'resource_missing')
    assert.equal((await submit(a.id, {outcome: 'verified', client_secret: b.client_secret!})).status, 400)
    assert.equal((await stripe.identity.verificationSessions.retrieve(a.id)).status, 'requires_input')
  })
})
