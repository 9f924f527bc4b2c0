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
