import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import Stripe from 'stripe'
import {createStripeClient} from '../../server/stripe/client.js'
import {emulatorForTests} from './emulator-fixture.js'

const t = emulatorForTests()

const post = (key: string, body: string) =>
  fetch(`${t.emulator.url}/v1/identity/verification_sessions`, {
    method: 'POST',
    headers: {Authorization: 'Bearer sk_test_emulator_tests', 'Idempotency-Key': key, 'Content-Type': 'application/x-www-form-urlencoded'},
    body,
  })

const countByReference = async (reference: string) => (await t.stripe.identity.verificationSessions.list({client_reference_id: reference, limit: 100})).data.length

describe('Idempotency-Key', () => {
  it('replays the first answer byte for byte for the same key and parameters', async () => {
    const first = await post('replay-1', 'type=document&metadata[user_id]=u1&client_reference_id=idem_replay')
    const second = await post('replay-1', 'client_reference_id=idem_replay&type=document&metadata[user_id]=u1')
    assert.equal(first.status, 200)
    assert.equal(second.status, 200)
    assert.equal(second.headers.get('idempotent-replayed'), 'true')
    assert.equal(first.headers.get('idempotent-replayed'), null)
    assert.equal(await second.text(), await first.text())
    assert.equal(await countByReference('idem_replay'), 1)
  })

  it('names the request that ran in Original-Request, on the first answer and on its replays', async () => {
    const first = await post('original-1', 'type=document&client_reference_id=idem_original')
    const replay = await post('original-1', 'type=document&client_reference_id=idem_original')
    const firstId = first.headers.get('request-id')
    assert.match(firstId ?? '', /^req_/)
    assert.equal(first.headers.get('original-request'), firstId)
    assert.equal(replay.headers.get('original-request'), firstId)
    assert.notEqual(replay.headers.get('request-id'), firstId, 'a replay is a request of its own')
    const withoutKey = await fetch(`${t.emulator.url}/v1/identity/verification_sessions`, {
      method: 'POST',
      headers: {Authorization: 'Bearer sk_test_x'},
      body: new URLSearchParams({type: 'document'}),
    })
    assert.equal(withoutKey.headers.get('original-request'), null)
  })

  it('answers 400 idempotency_error for the same key with other parameters', async () => {
    await t.stripe.identity.verificationSessions.create({type: 'document'}, {idempotencyKey: 'mismatch-1'})
    await assert.rejects(t.stripe.identity.verificationSessions.create({type: 'id_number'}, {idempotencyKey: 'mismatch-1'}), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeIdempotencyError)
      assert.equal(err.statusCode, 400)
      assert.match(err.message, /same parameters/)
      return true
    })
  })

  it('answers 400 idempotency_error for the same key on another endpoint', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'}, {idempotencyKey: 'endpoint-1'})
    await assert.rejects(t.stripe.identity.verificationSessions.cancel(session.id, {}, {idempotencyKey: 'endpoint-1'}), Stripe.errors.StripeIdempotencyError)
  })

  it('does not keep a failed validation, so the key can be used with fixed parameters', async () => {
    await assert.rejects(t.stripe.identity.verificationSessions.create({type: 'selfie'}, {idempotencyKey: 'fixable-1'}), Stripe.errors.StripeInvalidRequestError)
    assert.equal((await t.stripe.identity.verificationSessions.create({type: 'document'}, {idempotencyKey: 'fixable-1'})).status, 'requires_input')
  })

  it('creates once for concurrent requests with one key: the others replay or get 409 idempotency_key_in_use', async () => {
    const answers = await Promise.all(Array.from({length: 6}, () => post('concurrent-1', 'type=document&client_reference_id=idem_concurrent')))
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<{id?: string; error?: {code: string}}>
    const ids = new Set(bodies.filter((_, i) => answers[i].status === 200).map((b) => b.id))
    assert.equal(ids.size, 1)
    for (const [i, answer] of answers.entries()) {
      if (answer.status !== 200) {
        assert.equal(answer.status, 409)
        assert.equal(bodies[i].error?.code, 'idempotency_key_in_use')
      }
    }
    assert.equal(await countByReference('idem_concurrent'), 1)
  })

  it('lets stripe-node retry a timed-out create with its key without creating twice', async () => {
    t.emulator.injectFault({method: 'POST', path: '/v1/identity/verification_sessions', delayMs: 300})
    const retrying = createStripeClient({secretKey: 'sk_test_idem', emulatorUrl: t.emulator.url, timeoutMs: 150, maxNetworkRetries: 2})
    const session = await retrying.identity.verificationSessions.create({type: 'document', client_reference_id: 'idem_retry'})
    assert.equal(session.status, 'requires_input')
    await new Promise((resolve) => setTimeout(resolve, 300)) // the delayed first attempt completes meanwhile
    assert.equal(await countByReference('idem_retry'), 1)
  })
})
