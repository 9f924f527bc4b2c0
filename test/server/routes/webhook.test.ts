import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {describe, it} from 'node:test'
import type Stripe from 'stripe'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import type {VerificationStore} from '../../../server/store/store.js'
import type {VerificationRecord} from '../../../server/rules/records.js'
import {deliver, secretsInLogs, sessionEvent, testApp, testStore, WEBHOOK_SECRET} from '../fixtures.js'

const startedAt = Math.floor(Date.now() / 1000)
/** This file's clock in Unix seconds: the signature tests freeze the server's clock at it. */
const now = () => startedAt

async function statusOf(app: ReturnType<typeof testApp>['app'], user = 'user_1') {
  const res = await app.request('/verification-session', {headers: {'x-test-user': user}})
  return {code: res.status, body: (res.status === 204 ? {} : await res.json()) as {id?: string; status?: string; last_error?: {code: string} | null}}
}

/** Counts the calls of each hook. */
function countingHooks() {
  const calls = {verified: 0, requiresInput: 0, event: 0}
  return {
    calls,
    hooks: {
      onVerified: () => void calls.verified++,
      onRequiresInput: () => void calls.requiresInput++,
      onEvent: () => void calls.event++,
    },
  }
}

describe('POST /webhook signature', () => {
  // The server's clock stands still, so that a second ticking between signing and checking cannot
  // turn 301 s into 300 s.
  const {app} = testApp({now: () => now() * 1000})
  const event = sessionEvent(EVENTS.verified, {id: 'vs_sig', status: 'verified'}, now())
  const body = JSON.stringify(event)

  async function refusal(res: Response) {
    assert.equal(res.status, 400)
    const json = (await res.json()) as {error: {message: string; code: string}}
    assert.equal(json.error.code, 'invalid_signature')
    assert.ok(json.error.message.length > 0)
  }

  it('answers 400 without a Stripe-Signature header', async () => {
    await refusal(await app.request('/webhook', {method: 'POST', body, headers: {'content-type': 'application/json'}}))
  })

  it('answers 400 when the header is empty', async () => {
    await refusal(await deliver(app, body, {header: ''}))
  })

  it('answers 400 when the header is malformed', async () => {
    await refusal(await deliver(app, body, {header: 'garbage'}))
    await refusal(await deliver(app, body, {header: `t=soon,v1=${'a'.repeat(64)}`}))
    await refusal(await deliver(app, body, {header: `t=${now()}`}))
  })

  it('answers 400 when the signature is from another secret', async () => {
    await refusal(await deliver(app, body, {secret: `whsec_${randomBytes(24).toString('base64')}`}))
  })

  it('answers 400 when one byte of the body changed after signing', async () => {
    const header = await (await import('stripe')).default.webhooks.generateTestHeaderStringAsync({payload: body, secret: WEBHOOK_SECRET})
    const changed = body.replace('"verified"', '"verifiee"')
    assert.equal(changed.length, body.length)
    await refusal(await deliver(app, changed, {header}))
  })

  it('answers 400 when the signature is 301 s old or 301 s ahead', async () => {
    await refusal(await deliver(app, body, {timestamp: now() - 301}))
    await refusal(await deliver(app, body, {timestamp: now() + 301}))
    assert.equal((await statusOf(app)).code, 204, 'nothing was recorded')
  })

  it('accepts a signature 290 s old or ahead', async () => {
    const early = sessionEvent(EVENTS.processing, {id: 'vs_skew', status: 'processing', userRef: 'skew'}, now())
    assert.equal((await deliver(app, early, {timestamp: now() - 290})).status, 200)
    const late = sessionEvent(EVENTS.verified, {id: 'vs_skew', status: 'verified', userRef: 'skew'}, now())
    assert.equal((await deliver(app, late, {timestamp: now() + 290})).status, 200)
  })

  it('accepts v1=bad,v1=good', async () => {
    const good = await (await import('stripe')).default.webhooks.generateTestHeaderStringAsync({payload: body, secret: WEBHOOK_SECRET})
    const [t, v1] = good.split(',')
    const res = await deliver(app, body, {header: `${t},v1=${'0'.repeat(64)},${v1}`})
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {received: true})
    assert.equal((await statusOf(app)).body.status, 'verified')
  })

  it('accepts both secrets while the secret is being rotated', async () => {
    const next = `whsec_${randomBytes(24).toString('base64')}`
    const rotating = testApp({webhookSecret: [WEBHOOK_SECRET, next]}).app
    const first = sessionEvent(EVENTS.processing, {id: 'vs_rot', status: 'processing'}, now() - 5)
    const second = sessionEvent(EVENTS.verified, {id: 'vs_rot', status: 'verified'}, now())
    assert.equal((await deliver(rotating, first, {secret: WEBHOOK_SECRET})).status, 200)
    assert.equal((await deliver(rotating, second, {secret: next})).status, 200)
    assert.equal((await statusOf(rotating)).body.status, 'verified')
    const other = `whsec_${randomBytes(24).toString('base64')}`
    assert.equal((await deliver(rotating, first, {secret: other})).status, 400)
  })
})

describe('POST /webhook recording', () => {
  it('applies an event delivered twice in sequence once', async () => {
    const {calls, hooks} = countingHooks()
    const store = testStore()
    const {app} = testApp({hooks, store})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_dup', status: 'verified'}, now())
    for (let i = 0; i < 3; i++) {
      const res = await deliver(app, event)
      assert.equal(res.status, 200)
      assert.deepEqual(await res.json(), {received: true})
    }
    assert.deepEqual(calls, {verified: 1, requiresInput: 0, event: 1})
    assert.equal(await store.countSessions('user_1'), 1)
  })

  it('applies an event delivered ten times concurrently once', async () => {
    const {calls, hooks} = countingHooks()
    const store = testStore()
    const slowHooks = {...hooks, onVerified: async () => (await new Promise((r) => setTimeout(r, 20)), hooks.onVerified())}
    const {app} = testApp({hooks: slowHooks, store})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_conc', status: 'verified'}, now())
    const answers = await Promise.all(Array.from({length: 10}, () => deliver(app, event)))
    assert.deepEqual(
      answers.map((res) => res.status),
      Array(10).fill(200),
    )
    assert.deepEqual(calls, {verified: 1, requiresInput: 0, event: 1})
    assert.equal(await store.countSessions('user_1'), 1)
  })

  it('keeps verified when a stale processing event arrives after it', async () => {
    const {app} = testApp()
    const t = now()
    await deliver(app, sessionEvent(EVENTS.verified, {id: 'vs_stale', status: 'verified'}, t))
    const res = await deliver(app, sessionEvent(EVENTS.processing, {id: 'vs_stale', status: 'processing'}, t - 10))
    assert.equal(res.status, 200)
    assert.deepEqual((await statusOf(app)).body, {id: 'vs_stale', status: 'verified', last_error: null})
  })

  it('keeps canceled when an older requires_input arrives after it', async () => {
    const {app} = testApp()
    const t = now()
    await deliver(app, sessionEvent(EVENTS.canceled, {id: 'vs_cxl', status: 'canceled'}, t))
    await deliver(app, sessionEvent(EVENTS.requires_input, {id: 'vs_cxl', status: 'requires_input', lastErrorCode: 'document_expired'}, t - 10))
    assert.deepEqual((await statusOf(app)).body, {id: 'vs_cxl', status: 'canceled', last_error: null})
  })

  const permutations = <T>(items: readonly T[]): T[][] =>
    items.length <= 1 ? [[...items]] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))

  /** A session's events up to a refused document: created, processing, requires_input, ten seconds apart. */
  const failedAttempt = (id: string, user: string, t: number, lastErrorCode: string) => [
    sessionEvent(EVENTS.created, {id, status: 'requires_input', userRef: user}, t),
    sessionEvent(EVENTS.processing, {id, status: 'processing', userRef: user}, t + 10),
    sessionEvent(EVENTS.requires_input, {id, status: 'requires_input', userRef: user, lastErrorCode}, t + 20),
  ]

  it('converges to verified whatever the order of a session’s five events', async () => {
    const {calls, hooks} = countingHooks()
    const {app} = testApp({hooks})
    const orders = permutations([0, 1, 2, 3, 4])
    assert.equal(orders.length, 120)
    const t = now() - 100
    for (const [n, order] of orders.entries()) {
      const id = `vs_perm_${n}`
      const user = `perm_${n}`
      const events = [
        ...failedAttempt(id, user, t, 'document_unverified_other'),
        sessionEvent(EVENTS.processing, {id, status: 'processing', userRef: user}, t + 30),
        sessionEvent(EVENTS.verified, {id, status: 'verified', userRef: user}, t + 40),
      ]
      for (const index of order) assert.equal((await deliver(app, events[index]!)).status, 200)
      assert.deepEqual((await statusOf(app, user)).body, {id, status: 'verified', last_error: null}, `order ${order.join('')}`)
    }
    assert.equal(calls.verified, 120, 'onVerified ran once per session')
    assert.equal(calls.event, 600)
  })

  it('converges to the last error whatever the order of a failed attempt’s events', async () => {
    const {app} = testApp()
    const t = now() - 100
    for (const [n, order] of permutations([0, 1, 2]).entries()) {
      const id = `vs_fail_${n}`
      const user = `fail_${n}`
      const events = failedAttempt(id, user, t, 'document_expired')
      for (const index of order) assert.equal((await deliver(app, events[index]!)).status, 200)
      assert.deepEqual((await statusOf(app, user)).body, {id, status: 'requires_input', last_error: {code: 'document_expired'}})
    }
  })

  it('answers 200 to an unknown event type and records nothing', async () => {
    const {calls, hooks} = countingHooks()
    const {app} = testApp({hooks})
    const event = {...sessionEvent(EVENTS.verified, {id: 'vs_unknown', status: 'verified'}, now()), type: 'charge.succeeded'}
    const res = await deliver(app, event as Stripe.Event)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {received: true})
    assert.equal((await statusOf(app)).code, 204)
    assert.equal(calls.event, 0)
  })

  it('creates the row of a session made elsewhere from its metadata', async () => {
    const {app} = testApp()
    await deliver(app, sessionEvent(EVENTS.processing, {id: 'vs_elsewhere', status: 'processing', userRef: 'dashboard_user'}, now()))
    assert.deepEqual((await statusOf(app, 'dashboard_user')).body, {id: 'vs_elsewhere', status: 'processing', last_error: null})
  })

  it('marks a redacted session without changing its status', async () => {
    const store = testStore()
    const {app} = testApp({store})
    const t = now()
    await deliver(app, sessionEvent(EVENTS.verified, {id: 'vs_red', status: 'verified'}, t - 5))
    const res = await deliver(app, sessionEvent(EVENTS.redacted, {id: 'vs_red', status: 'verified'}, t))
    assert.equal(res.status, 200)
    const row = (await store.getSession('vs_red')) as VerificationRecord
    assert.equal(row.redacted, true)
    assert.equal(row.status, 'verified')
  })

  it('answers 500 when the store fails, and the redelivery then applies the event once', async () => {
    const {calls, hooks} = countingHooks()
    const real = testStore()
    let failures = 1
    const store: VerificationStore = {
      ...real,
      recordEvent(event) {
        if (failures-- > 0) throw new Error('disk I/O error')
        return real.recordEvent(event)
      },
    }
    const {app} = testApp({store, hooks})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_fail', status: 'verified'}, now())
    const failed = await deliver(app, event)
    assert.equal(failed.status, 500)
    assert.deepEqual(await failed.json(), {error: {message: 'The event could not be recorded', code: 'webhook_failed'}})
    assert.equal((await statusOf(app)).code, 204)
    assert.equal(calls.event, 0)
    for (let i = 0; i < 2; i++) assert.equal((await deliver(app, event)).status, 200)
    assert.equal((await statusOf(app)).body.status, 'verified')
    assert.deepEqual(calls, {verified: 1, requiresInput: 0, event: 1})
  })

  it('answers 500 when a hook fails, and the redelivery runs the hook again without reapplying', async () => {
    const store = testStore()
    let attempts = 0
    let succeeded = 0
    const hooks = {
      onRequiresInput: () => {
        attempts++
        if (attempts === 1) throw new Error('mail server down')
        succeeded++
      },
    }
    const {app} = testApp({store, hooks})
    const event = sessionEvent(EVENTS.requires_input, {id: 'vs_hook', status: 'requires_input', lastErrorCode: 'document_expired'}, now())
    assert.equal((await deliver(app, event)).status, 500)
    assert.equal((await statusOf(app)).body.status, 'requires_input', 'the status is recorded before the hooks run')
    assert.equal((await deliver(app, event)).status, 200)
    assert.equal((await deliver(app, event)).status, 200)
    assert.deepEqual({attempts, succeeded}, {attempts: 2, succeeded: 1})
  })

  it('runs onRequiresInput only while the session still requires input', async () => {
    const {calls, hooks} = countingHooks()
    const {app} = testApp({hooks})
    const t = now()
    await deliver(app, sessionEvent(EVENTS.verified, {id: 'vs_ri', status: 'verified'}, t))
    await deliver(app, sessionEvent(EVENTS.requires_input, {id: 'vs_ri', status: 'requires_input', lastErrorCode: 'document_expired'}, t - 20))
    assert.deepEqual(calls, {verified: 1, requiresInput: 0, event: 2})
  })

  it('refuses a webhook body over the limit with 413', async () => {
    const {app} = testApp({limits: {maxWebhookBytes: 1024}})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_big', status: 'verified'}, now())
    const big = {...event, padding: 'x'.repeat(2000)}
    assert.equal((await deliver(app, big as Stripe.Event)).status, 413)
  })
})

it('logged no client secret, secret key or webhook secret', () => {
  assert.deepEqual(secretsInLogs(), [])
})
