import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import type {RunningEmulator} from '../../../emulator/index.js'
import {answeringSession, planCreate} from '../../../server/rules/answering-session.js'
import type {VerificationRecord} from '../../../server/rules/records.js'
import {VERIFICATION_EVENT_TYPES as EVENTS, type VerificationStatus} from '../../../protocol/verification-status.js'
import {sessionIdOf, type SessionConflictAnswer, type SessionStatusAnswer} from '../../../protocol/wire.js'
import {clientSecretOf, clientSecrets, create, deliver, secretsInLogs, sessionEvent, sessionsAtStripe, startTestEmulator, stripeClient, testApp} from '../fixtures.js'

function record(id: string, status: VerificationStatus, {createdAt = 1000, redacted = false} = {}): VerificationRecord {
  return {id, userRef: 'u', status, lastErrorCode: null, redacted, createdAt, submittedAt: null, updatedAt: createdAt}
}

describe('answeringSession', () => {
  it('answers the verified session over any later one', () => {
    const verified = record('vs_verified', 'verified')
    const later = record('vs_later', 'requires_input', {createdAt: 2000})
    assert.equal(answeringSession({latest: later, verified}), verified)
  })

  it('answers the newest session when none is verified', () => {
    const latest = record('vs_latest', 'canceled')
    assert.equal(answeringSession({latest, verified: null}), latest)
    assert.equal(answeringSession({latest: null, verified: null}), null)
  })

  it('lets no redacted session win as verified', () => {
    const latest = record('vs_latest', 'requires_input', {createdAt: 2000})
    assert.equal(answeringSession({latest, verified: record('vs_redacted', 'verified', {redacted: true})}), latest)
  })
})

describe('planCreate', () => {
  it('creates when there is no session, or a canceled or redacted one', () => {
    assert.deepEqual(planCreate(null), {kind: 'create'})
    assert.deepEqual(planCreate(record('vs_c', 'canceled')), {kind: 'create'})
    assert.deepEqual(planCreate(record('vs_r', 'verified', {redacted: true})), {kind: 'create'})
    assert.deepEqual(planCreate(record('vs_r', 'requires_input', {redacted: true})), {kind: 'create'})
  })

  it('reuses a session waiting for input', () => {
    const session = record('vs_open', 'requires_input')
    assert.deepEqual(planCreate(session), {kind: 'reuse', session})
  })

  it('answers a conflict for a verified or processing session', () => {
    const verified = record('vs_v', 'verified')
    const processing = record('vs_p', 'processing')
    assert.deepEqual(planCreate(verified), {kind: 'conflict', code: 'already_verified', session: verified})
    assert.deepEqual(planCreate(processing), {kind: 'conflict', code: 'verification_processing', session: processing})
  })
})

/** The 409 answer's body, checked to hold the error and the session and nothing else. */
async function conflictOf(res: Response, code: string): Promise<SessionConflictAnswer> {
  assert.equal(res.status, 409)
  assert.equal(res.headers.get('cache-control'), 'no-store')
  const json = (await res.json()) as SessionConflictAnswer
  assert.deepEqual(Object.keys(json), ['error', 'session'])
  assert.equal(json.error.code, code)
  assert.equal(typeof json.error.message, 'string')
  return json
}

async function statusOf(app: ReturnType<typeof testApp>['app'], user: string): Promise<SessionStatusAnswer> {
  const res = await app.request('/verification-session', {headers: {'x-test-user': user}})
  assert.equal(res.status, 200)
  return (await res.json()) as SessionStatusAnswer
}

const now = () => Math.floor(Date.now() / 1000)

describe('a verified person stays verified', () => {
  it('answers the older verified session after a newer one came, and creates nothing (no Stripe call)', async () => {
    // Stripe here is a closed port: any call to it would answer 502.
    const {app} = testApp()
    const t = now()
    await deliver(app, sessionEvent(EVENTS.verified, {id: 'vs_passed', status: 'verified', userRef: 'vera'}, t - 60))
    await deliver(app, sessionEvent(EVENTS.requires_input, {id: 'vs_later', status: 'requires_input', userRef: 'vera', lastErrorCode: 'document_expired'}, t))
    assert.deepEqual(await statusOf(app, 'vera'), {id: 'vs_passed', status: 'verified', last_error: null})
    const conflict = await conflictOf(await create(app, {user: 'vera'}), 'already_verified')
    assert.deepEqual(conflict, {
      error: {message: 'Your identity is already verified', code: 'already_verified'},
      session: {id: 'vs_passed', status: 'verified', last_error: null},
    })
  })

  it('answers the latest session again once the verified one was redacted', async () => {
    const {app} = testApp()
    const t = now()
    await deliver(app, sessionEvent(EVENTS.verified, {id: 'vs_erased', status: 'verified', userRef: 'rita'}, t - 60))
    await deliver(app, sessionEvent(EVENTS.requires_input, {id: 'vs_again', status: 'requires_input', userRef: 'rita'}, t - 30))
    await deliver(app, sessionEvent(EVENTS.redacted, {id: 'vs_erased', status: 'verified', userRef: 'rita'}, t))
    assert.equal((await statusOf(app, 'rita')).id, 'vs_again')
  })
})

describe('POST /create-verification-session for a verified or processing user', () => {
  let emulator: RunningEmulator
  before(async () => {
    emulator = await startTestEmulator()
  })
  after(() => emulator.close())

  const appWith = () => testApp({stripe: stripeClient(emulator.url)})

  async function submitAtStripe(sessionId: string, outcome: string) {
    const res = await fetch(`${emulator.url}/emulator/verification_sessions/${sessionId}/submit`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({outcome}),
    })
    assert.equal(res.status, 200)
  }

  it('answers 409 already_verified without a new session, the verified one answering even after a later one', async () => {
    const {app, deps} = appWith()
    const id = sessionIdOf(await clientSecretOf(await create(app, {user: 'val'})))
    await submitAtStripe(id, 'verified')
    await deliver(app, sessionEvent(EVENTS.verified, {id, status: 'verified', userRef: 'val'}, now() - 5))
    const conflict = await conflictOf(await create(app, {user: 'val'}), 'already_verified')
    assert.deepEqual(conflict.session, {id, status: 'verified', last_error: null})
    assert.equal((await sessionsAtStripe(emulator.url, 'val')).length, 1)
    // A later session made elsewhere (the Dashboard) does not hide the verified one (the helper's
    // session was created a minute before its event).
    await deliver(app, sessionEvent(EVENTS.requires_input, {id: 'vs_from_dashboard', status: 'requires_input', userRef: 'val'}, now() + 120))
    assert.equal((await deps.store.latestSession('val'))?.id, 'vs_from_dashboard')
    assert.deepEqual(await statusOf(app, 'val'), {id, status: 'verified', last_error: null})
    await conflictOf(await create(app, {user: 'val'}), 'already_verified')
    assert.equal((await sessionsAtStripe(emulator.url, 'val')).length, 1)
  })

  // Stripe's word decides: no webhook has told the store yet (the processing test case stays
  // processing for seconds).
  for (const {outcome, status, code, message} of [
    {outcome: 'processing', status: 'processing', code: 'verification_processing', message: 'Your documents are being checked; you will know the result shortly'},
    {outcome: 'verified', status: 'verified', code: 'already_verified', message: 'Your identity is already verified'},
  ] as const) {
    it(`answers 409 ${code} without a new session when Stripe has the session ${status}`, async () => {
      const {app} = appWith()
      const user = `stripe_says_${status}`
      const id = sessionIdOf(await clientSecretOf(await create(app, {user})))
      await submitAtStripe(id, outcome)
      assert.deepEqual(await conflictOf(await create(app, {user}), code), {error: {message, code}, session: {id, status, last_error: null}})
      assert.equal((await sessionsAtStripe(emulator.url, user)).length, 1)
    })
  }

  it('hands back a session whose documents were refused, for another try', async () => {
    const {app} = appWith()
    const id = sessionIdOf(await clientSecretOf(await create(app, {user: 'retry'})))
    await submitAtStripe(id, 'document_expired')
    assert.equal(sessionIdOf(await clientSecretOf(await create(app, {user: 'retry'}))), id)
    assert.equal((await sessionsAtStripe(emulator.url, 'retry')).length, 1)
  })

  it('creates a new session once the verified one was redacted', async () => {
    const {app} = appWith()
    const id = sessionIdOf(await clientSecretOf(await create(app, {user: 'forget_me'})))
    await submitAtStripe(id, 'verified')
    await deliver(app, sessionEvent(EVENTS.verified, {id, status: 'verified', userRef: 'forget_me'}, now() - 5))
    await deliver(app, sessionEvent(EVENTS.redacted, {id, status: 'verified', userRef: 'forget_me'}, now()))
    const second = sessionIdOf(await clientSecretOf(await create(app, {user: 'forget_me'})))
    assert.notEqual(second, id)
    assert.equal(sessionIdOf(await clientSecretOf(await create(app, {user: 'forget_me'}))), second, 'and reuses that one')
  })

  it('counts a 409 against the user’s limit', async () => {
    const {app} = testApp({limits: {perUser: {max: 2, windowMs: 60_000}}})
    await deliver(app, sessionEvent(EVENTS.verified, {id: 'vs_counted', status: 'verified', userRef: 'counted'}, now()))
    await conflictOf(await create(app, {user: 'counted'}), 'already_verified')
    await conflictOf(await create(app, {user: 'counted'}), 'already_verified')
    assert.equal((await create(app, {user: 'counted'})).status, 429)
  })
})

it('logged no client secret, secret key or webhook secret', () => {
  assert.ok(clientSecrets.length >= 5)
  assert.deepEqual(secretsInLogs(clientSecrets), [])
})
