import assert from 'node:assert/strict'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {serve, type ServerType} from '@hono/node-server'
import {startEmulator} from '../../emulator/index.js'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../protocol/verification-status.js'
import type {VerificationRecord} from '../../server/rules/records.js'
import {sessionIdOf, type CreateSessionAnswer, type SessionStatusAnswer} from '../../protocol/wire.js'
import {deliver, secretsInLogs, sessionEvent, stripeClient, testApp, testLogger, testStore, WEBHOOK_SECRET} from './fixtures.js'

type Emulator = Awaited<ReturnType<typeof startEmulator>>

const clientSecrets: string[] = []

describe('the full loop: create, submit in the emulator, webhook, status', () => {
  let emulator: Emulator
  let server: ServerType
  let base: string
  const verified: VerificationRecord[] = []
  const requiresInput: VerificationRecord[] = []

  before(async () => {
    emulator = await startEmulator({port: 0, webhookSecret: WEBHOOK_SECRET, retryDelaysMs: [20, 100, 500, 1000], processingDelayMs: 50, logger: testLogger})
    const {app} = testApp({
      stripe: stripeClient(emulator.url),
      store: testStore(),
      hooks: {onVerified: (session) => void verified.push(session), onRequiresInput: (session) => void requiresInput.push(session)},
    })
    server = serve({fetch: app.fetch, port: 0, hostname: '127.0.0.1'})
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    emulator.setWebhookUrl(`${base}/webhook`)
  })
  after(async () => {
    await emulator.close()
    await new Promise((resolve) => server.close(resolve))
  })

  const asUser = (user: string) => ({'x-test-user': user})

  async function createFor(user: string): Promise<{clientSecret: string; sessionId: string}> {
    const res = await fetch(`${base}/create-verification-session`, {method: 'POST', headers: asUser(user)})
    assert.equal(res.status, 200)
    const {client_secret: clientSecret} = (await res.json()) as CreateSessionAnswer
    clientSecrets.push(clientSecret)
    return {clientSecret, sessionId: sessionIdOf(clientSecret)}
  }

  async function submit(sessionId: string, outcome: string) {
    const res = await fetch(`${emulator.url}/emulator/verification_sessions/${sessionId}/submit`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({outcome}),
    })
    assert.ok(res.ok, `submit answered ${res.status}`)
  }

  /** What `GET /verification-session` shows the user once `done` holds (webhooks arrive when they arrive). */
  async function shownOnce(user: string, done: (shown: SessionStatusAnswer) => boolean): Promise<SessionStatusAnswer | null> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const res = await fetch(`${base}/verification-session`, {headers: asUser(user)})
      const shown = res.status === 200 ? ((await res.json()) as SessionStatusAnswer) : null
      if ((shown && done(shown)) || Date.now() > deadline) return shown
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  /**
   * How many times a hook ran, once it has: a hook runs when its webhook's transaction has committed,
   * which another connection (the status route's) may see a moment before the webhook does.
   */
  async function hookedOnce(count: () => number): Promise<number> {
    for (const deadline = Date.now() + 5000; count() === 0 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 10))
    return count()
  }

  it('shows verified after the person passes', async () => {
    const {sessionId} = await createFor('alice')
    await submit(sessionId, 'verified')
    assert.deepEqual(await shownOnce('alice', (shown) => shown.status === 'verified'), {id: sessionId, status: 'verified', last_error: null})
    assert.equal(await hookedOnce(() => verified.filter((session) => session.id === sessionId).length), 1)
  })

  it('shows the error of a refused document, then reuses the session for a second try', async () => {
    const first = await createFor('bob')
    await submit(first.sessionId, 'document_unverified')
    assert.deepEqual(await shownOnce('bob', (shown) => shown.last_error !== null), {
      id: first.sessionId,
      status: 'requires_input',
      last_error: {code: 'document_unverified_other'},
    })
    const refused = () => requiresInput.filter((session) => session.id === first.sessionId && session.lastErrorCode === 'document_unverified_other').length
    assert.equal(await hookedOnce(refused), 1)

    const second = await createFor('bob')
    assert.equal(second.sessionId, first.sessionId)
    await submit(second.sessionId, 'verified')
    assert.deepEqual(await shownOnce('bob', (shown) => shown.status === 'verified'), {id: first.sessionId, status: 'verified', last_error: null})
  })

  it('shows canceled when the session is canceled', async () => {
    const {sessionId} = await createFor('carol')
    await stripeClient(emulator.url).identity.verificationSessions.cancel(sessionId)
    assert.equal((await shownOnce('carol', (shown) => shown.status === 'canceled'))?.status, 'canceled')
  })
})

describe('events of the same second', () => {
  let emulator: Emulator
  before(async () => {
    emulator = await startEmulator({port: 0, webhookSecret: WEBHOOK_SECRET, webhookUrl: 'http://127.0.0.1:9/webhook', logger: testLogger})
  })
  after(() => emulator.close())

  for (const order of [
    ['processing', 'requires_input'],
    ['requires_input', 'processing'],
  ] as const) {
    it(`are settled by Stripe’s current status (${order.join(' then ')})`, async () => {
      const stripe = stripeClient(emulator.url)
      const user = `tie_${order[0]}`
      const session = await stripe.identity.verificationSessions.create({type: 'document', client_reference_id: user, metadata: {user_id: user}})
      await fetch(`${emulator.url}/emulator/verification_sessions/${session.id}/submit`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({outcome: 'document_unverified'}),
      })
      const {app} = testApp({stripe})
      const t = Math.floor(Date.now() / 1000)
      const events = {
        processing: sessionEvent(EVENTS.processing, {id: session.id, status: 'processing', userRef: user}, t),
        requires_input: sessionEvent(EVENTS.requires_input, {id: session.id, status: 'requires_input', userRef: user, lastErrorCode: 'document_unverified_other'}, t),
      }
      for (const type of order) assert.equal((await deliver(app, events[type])).status, 200)
      const res = await app.request('/verification-session', {headers: {'x-test-user': user}})
      assert.deepEqual(await res.json(), {id: session.id, status: 'requires_input', last_error: {code: 'document_unverified_other'}})
    })
  }
})

it('logged no client secret, secret key or webhook secret', () => {
  assert.ok(clientSecrets.length >= 4)
  assert.ok(secretsInLogs(clientSecrets).length === 0, secretsInLogs(clientSecrets).join(', '))
})
