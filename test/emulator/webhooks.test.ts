import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import Stripe from 'stripe'
import {signPayload, startEmulator, type DeliveryAttempt, type RunningEmulator} from '../../emulator/index.js'
import {createLogger} from '../../server/log/logger.js'
import {createStripeClient} from '../../server/stripe/client.js'
import {startReceiver} from './receiver.js'
import {violations} from './stripe-schema.js'

const SECRET = 'whsec_webhooks_test_Zm9vYmFy'
const stripeWebhooks = new Stripe('sk_test_unused').webhooks

interface Vector {
  secret: string
  timestamp: number
  payload: string
  header: string
}

describe('the Stripe-Signature header', () => {
  const {vectors} = JSON.parse(readFileSync(new URL('./stripe-signature-vectors.json', import.meta.url), 'utf8')) as {vectors: Vector[]}
  for (const vector of vectors) {
    it(`matches the known answer for ${vector.secret}`, () => {
      assert.equal(signPayload(vector.payload, vector.secret, vector.timestamp), vector.header)
    })
  }

  it('verifies with stripe-node and fails with another secret', () => {
    const payload = JSON.stringify({id: 'evt_x', object: 'event'})
    const header = signPayload(payload, SECRET)
    assert.equal(stripeWebhooks.constructEvent(payload, header, SECRET).id, 'evt_x')
    assert.throws(() => stripeWebhooks.constructEvent(payload, header, 'whsec_other'), Stripe.errors.StripeSignatureVerificationError)
  })
})

describe('webhook delivery', () => {
  const logLines: string[] = []
  let emulator: RunningEmulator
  let stripe: Stripe

  before(async () => {
    emulator = await startEmulator({
      webhookSecret: SECRET,
      webhookUrl: 'http://127.0.0.1:9/unset',
      retryDelaysMs: [20, 40],
      deliveryTimeoutMs: 200,
      processingDelayMs: 50,
      logger: createLogger((line) => logLines.push(line)),
    })
    stripe = createStripeClient({secretKey: 'sk_test_webhooks_key_abcdef', emulatorUrl: emulator.url, maxNetworkRetries: 0})
  })
  after(() => emulator.close())

  const deliveries = async (eventId: string) => ((await (await fetch(`${emulator.url}/emulator/events/${eventId}/deliveries`)).json()) as {attempts: DeliveryAttempt[]}).attempts

  it('posts every event signed with the configured secret, with Stripe headers', async () => {
    const receiver = await startReceiver()
    emulator.setWebhookUrl(receiver.url)
    try {
      const session = await stripe.identity.verificationSessions.create({type: 'document', metadata: {user_id: 'u1'}})
      // Listed, it carries a client secret in the answer (never in a log line: see the last test).
      assert.ok((await stripe.identity.verificationSessions.list({limit: 1})).data[0].client_secret)
      await fetch(`${emulator.url}/emulator/verification_sessions/${session.id}/submit`, {method: 'POST', body: new URLSearchParams({outcome: 'verified'})})
      await receiver.waitFor((r) => r.length >= 3)
      for (const request of receiver.received) {
        const event = stripeWebhooks.constructEvent(request.body, request.headers['stripe-signature'] as string, SECRET)
        assert.equal((event.data.object as Stripe.Identity.VerificationSession).id, session.id)
        assert.equal(request.headers['content-type'], 'application/json; charset=utf-8')
        assert.equal(request.headers['user-agent'], 'Stripe/1.0 (+https://stripe.com/docs/webhooks)')
        const object = event.data.object as Stripe.Identity.VerificationSession
        // The secret and the URL are the user's alone; the verified data needs an expand, as in a retrieve.
        assert.deepEqual([object.client_secret, object.url], [null, null], event.type)
        assert.ok(!('verified_outputs' in object) && !('provided_details' in object), event.type)
        assert.deepEqual(violations('event', JSON.parse(request.body)), [], "the payload is an event of Stripe's schema")
      }
      // Deliveries run side by side, so they may arrive in any order.
      assert.deepEqual(
        receiver
          .events()
          .map((e) => e.type)
          .sort(),
        ['identity.verification_session.created', 'identity.verification_session.processing', 'identity.verification_session.verified'],
      )
    } finally {
      await receiver.close()
    }
  })

  it('signs a delivery with the time it was sent in Unix seconds, which a receiver checking the timestamp accepts', async () => {
    const receiver = await startReceiver()
    emulator.setWebhookUrl(receiver.url)
    try {
      await stripe.identity.verificationSessions.create({type: 'document'})
      await receiver.waitFor((r) => r.length >= 1)
      const [request] = receiver.received
      const header = request.headers['stripe-signature'] as string
      // stripe-node refuses a timestamp older than the tolerance but not one ahead of now, so a
      // receiver refuses those itself (as POST /webhook does): the timestamp must be now, in seconds.
      const signedAt = Number(/(?:^|,)t=(\d+)(?:,|$)/.exec(header)?.[1])
      assert.ok(Math.abs(signedAt - Date.now() / 1000) <= 5, `${header} is not signed at the time it was sent, in Unix seconds`)
      assert.equal(stripeWebhooks.constructEvent(request.body, header, SECRET, 300).type, 'identity.verification_session.created')
    } finally {
      await receiver.close()
    }
  })

  it('gives a receiver that fails twice then succeeds exactly three attempts, all recorded', async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 503 : 200))
    emulator.setWebhookUrl(receiver.url)
    try {
      const session = await stripe.identity.verificationSessions.create({type: 'document'})
      await receiver.waitFor((r) => r.length >= 3)
      await new Promise((resolve) => setTimeout(resolve, 150)) // room for a wrong fourth attempt
      assert.equal(receiver.received.length, 3)
      const ids = new Set(receiver.events().map((e) => e.id))
      assert.equal(ids.size, 1)
      const attempts = await deliveries([...ids][0])
      assert.deepEqual(
        attempts.map((a) => [a.attempt, a.statusCode]),
        [
          [1, 503],
          [2, 503],
          [3, 200],
        ],
      )
      const page = await (await fetch(`${emulator.url}/dashboard/sessions/${session.id}`)).text()
      assert.match(page, /#1 <span class="fail">HTTP 503<\/span>.*#2 <span class="fail">HTTP 503<\/span>.*#3 <span class="ok">HTTP 200<\/span>/s)
    } finally {
      await receiver.close()
    }
  })

  it('stops after the last retry of the schedule, counting time-outs as failures', async () => {
    const receiver = await startReceiver(() => 'hang')
    emulator.setWebhookUrl(receiver.url)
    try {
      await stripe.identity.verificationSessions.create({type: 'document'})
      await receiver.waitFor((r) => r.length >= 3)
      const [event] = receiver.events()
      let attempts: DeliveryAttempt[] = []
      const deadline = Date.now() + 3000
      while (attempts.length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        attempts = await deliveries(event.id)
      }
      await new Promise((resolve) => setTimeout(resolve, 150))
      assert.equal(receiver.received.length, 3)
      assert.ok((await deliveries(event.id)).every((a) => a.statusCode === null && /timed out/.test(a.error ?? '')))
    } finally {
      await receiver.close()
    }
  })

  it('redelivers an event when resent from the dashboard', async () => {
    const receiver = await startReceiver()
    emulator.setWebhookUrl(receiver.url)
    try {
      const session = await stripe.identity.verificationSessions.create({type: 'document'})
      await receiver.waitFor((r) => r.length >= 1)
      const [event] = receiver.events()
      const res = await fetch(`${emulator.url}/dashboard/events/${event.id}/resend`, {method: 'POST', redirect: 'manual'})
      assert.equal(res.status, 303)
      assert.equal(res.headers.get('location'), `/dashboard/sessions/${session.id}`)
      await receiver.waitFor((r) => r.length >= 2)
      assert.deepEqual(
        receiver.events().map((e) => e.id),
        [event.id, event.id],
      )
      stripeWebhooks.constructEvent(receiver.received[1].body, receiver.received[1].headers['stripe-signature'] as string, SECRET)
      await new Promise((resolve) => setTimeout(resolve, 20))
      assert.deepEqual(
        (await deliveries(event.id)).map((a) => [a.attempt, a.statusCode, a.manual]),
        [
          [1, 200, false],
          [2, 200, true],
        ],
      )
    } finally {
      await receiver.close()
    }
  })

  it('resends the redacted copy of an event once its session is redacted', async () => {
    const receiver = await startReceiver()
    emulator.setWebhookUrl(receiver.url)
    try {
      const session = await stripe.identity.verificationSessions.create({type: 'document', metadata: {user_id: 'u_resend_private'}})
      await fetch(`${emulator.url}/emulator/verification_sessions/${session.id}/submit`, {method: 'POST', body: new URLSearchParams({outcome: 'verified'})})
      await receiver.waitFor((r) => r.length >= 3)
      const verified = receiver.events().find((e) => e.type === 'identity.verification_session.verified')!
      assert.match(JSON.stringify(verified), /Jenny|u_resend_private/)
      await stripe.identity.verificationSessions.redact(session.id)
      await fetch(`${emulator.url}/dashboard/events/${verified.id}/resend`, {method: 'POST', redirect: 'manual'})
      await receiver.waitFor(() => receiver.events().filter((e) => e.id === verified.id).length >= 2)
      const resent = receiver.received.filter((r) => (JSON.parse(r.body) as {id: string}).id === verified.id).at(-1)!
      stripeWebhooks.constructEvent(resent.body, resent.headers['stripe-signature'] as string, SECRET)
      assert.doesNotMatch(resent.body, /Jenny|Rosen|1234 Main|u_resend_private/)
    } finally {
      await receiver.close()
    }
  })

  it('answers the API before a slow receiver acknowledges', async () => {
    // A receiver that never answers, and deliveries that wait for it for a minute: a create that waited
    // for its webhook would not be answered before the test gives up, however loaded the machine.
    const patient = await startEmulator({webhookSecret: SECRET, deliveryTimeoutMs: 60_000, logger: createLogger(() => {})})
    const receiver = await startReceiver(() => 'hang')
    patient.setWebhookUrl(receiver.url)
    try {
      const client = createStripeClient({secretKey: 'sk_test_webhooks_key_abcdef', emulatorUrl: patient.url, maxNetworkRetries: 0})
      const answered = await Promise.race([
        client.identity.verificationSessions.create({type: 'document'}).then(() => 'answered'),
        new Promise((resolve) => setTimeout(resolve, 10_000, 'waited for the webhook')),
      ])
      assert.equal(answered, 'answered')
      await receiver.waitFor(() => receiver.received.length >= 1)
    } finally {
      await receiver.close()
      await patient.close()
    }
  })

  it('logs one line per request and per attempt, with no secret in full', () => {
    const text = logLines.join('\n')
    assert.ok(logLines.some((l) => /"msg":"request".*"method":"POST".*"path":"\/v1\/identity\/verification_sessions".*"status":200/.test(l)))
    assert.ok(logLines.some((l) => /"msg":"webhook delivered".*"event":"evt_.*"type":"identity\.verification_session\.created".*"attempt":1/.test(l)))
    assert.ok(logLines.some((l) => /"msg":"webhook delivery failed".*"status":503/.test(l)))
    assert.ok(!text.includes(SECRET))
    assert.ok(!text.includes('sk_test_webhooks_key_abcdef'))
    assert.doesNotMatch(text, /_secret_test_/)
  })
})
