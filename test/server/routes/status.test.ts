import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {deliver, sessionEvent, testApp, testStore} from '../fixtures.js'

describe('GET /verification-session', () => {
  it('answers 401 without a signed-in user, not cached', async () => {
    const res = await testApp().app.request('/verification-session')
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await res.json(), {error: {message: 'Sign in to see your verification', code: 'unauthenticated'}})
  })

  it('answers 400 invalid_user_reference, as the create does, when authenticate answers no printable reference', async () => {
    const res = await testApp({authenticate: () => 'dana\u0000'}).app.request('/verification-session')
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as {error: {code: string}}).error.code, 'invalid_user_reference')
  })

  it('answers 204, no error, to a user who never started', async () => {
    const res = await testApp().app.request('/verification-session', {headers: {'x-test-user': 'newcomer'}})
    assert.equal(res.status, 204)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.equal(await res.text(), '')
  })

  it('answers 204 to an allowed site’s page, with the CORS that lets it read the answer', async () => {
    const {app} = testApp({allowedOrigins: ['https://shop.example']})
    const res = await app.request('/verification-session', {headers: {'x-test-user': 'newcomer', origin: 'https://shop.example'}})
    assert.equal(res.status, 204)
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://shop.example')
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true')
  })

  it('shows only the user’s own latest session: id, status and last error code', async () => {
    const store = testStore()
    const {app} = testApp({store})
    await store.insertSession({id: 'vs_older', userRef: 'dana', status: 'requires_input', createdAt: Date.now() - 60_000})
    await store.insertSession({id: 'vs_newer', userRef: 'dana', status: 'requires_input', createdAt: Date.now()})
    await store.insertSession({id: 'vs_someone_else', userRef: 'eve', status: 'requires_input', createdAt: Date.now() + 1000})
    const t = Math.floor(Date.now() / 1000)
    await deliver(app, sessionEvent(EVENTS.requires_input, {id: 'vs_newer', status: 'requires_input', userRef: 'dana', lastErrorCode: 'document_expired'}, t))
    const res = await app.request('/verification-session', {headers: {'x-test-user': 'dana'}})
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await res.json(), {id: 'vs_newer', status: 'requires_input', last_error: {code: 'document_expired'}})
  })

  it('refuses another site’s Origin', async () => {
    const res = await testApp().app.request('/verification-session', {headers: {'x-test-user': 'dana', origin: 'https://evil.example'}})
    assert.equal(res.status, 403)
  })
})
