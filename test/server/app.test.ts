import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {testApp} from './fixtures.js'

describe('the API routes', () => {
  const cases = [
    ['GET', '/create-verification-session', 'POST'],
    ['PUT', '/create-verification-session', 'POST'],
    ['GET', '/webhook', 'POST'],
    ['POST', '/verification-session', 'GET'],
    ['DELETE', '/verification-session', 'GET'],
  ] as const
  for (const [method, path, allowed] of cases) {
    it(`answer ${method} ${path} with 405, naming ${allowed}`, async () => {
      const res = await testApp().app.request(path, {method, headers: {'x-test-user': 'dana'}})
      assert.equal(res.status, 405)
      assert.equal(res.headers.get('allow'), allowed)
      assert.deepEqual(await res.json(), {error: {message: `${path} takes ${allowed} requests only`, code: 'method_not_allowed'}})
    })
  }

  it('still answer the methods they take', async () => {
    const {app, deps} = testApp()
    await deps.store.insertSession({id: 'vs_dana', userRef: 'dana', status: 'requires_input', createdAt: Date.now()})
    assert.equal((await app.request('/verification-session', {headers: {'x-test-user': 'dana'}})).status, 200)
    assert.equal((await app.request('/verification-session', {method: 'HEAD', headers: {'x-test-user': 'dana'}})).status, 200)
    assert.equal((await app.request('/webhook', {method: 'POST', body: '{}'})).status, 400)
  })
})

describe('createApp’s publicUrl', () => {
  it('is required: the server’s own origin is never read from a request', () => {
    assert.throws(() => testApp({publicUrl: undefined}), /createApp's publicUrl is missing/)
  })

  for (const publicUrl of [
    'verify.example',
    'https://verify.example/app',
    'https://verify.example/?x=1',
    'https://verify.example/#top',
    'https://me:pw@verify.example',
    'ftp://verify.example',
  ]) {
    it(`refuses ${publicUrl}, which is no origin`, () => {
      assert.throws(
        () => testApp({publicUrl}),
        (err: Error) => /^createApp's publicUrl (is not|has)/.test(err.message) && !err.message.includes('pw'),
      )
    })
  }

  it('takes an origin with a port or a trailing slash', async () => {
    for (const publicUrl of ['https://verify.example:8443', 'https://verify.example/']) {
      const res = await testApp({publicUrl}).app.request('/verification-session', {headers: {origin: new URL(publicUrl).origin}})
      assert.equal(res.status, 401, `${publicUrl}: past the origin check, stopped at authentication`)
    }
  })
})
