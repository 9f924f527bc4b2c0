import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {CREATE_SESSION_PATH, SESSION_STATUS_PATH, type ErrorAnswer} from '../../../protocol/wire.js'
import {testApp} from '../fixtures.js'

const {app} = testApp({limits: {maxBodyBytes: 64}})
const tooLarge = JSON.stringify({padding: 'x'.repeat(100)})

async function codeOf(res: Response): Promise<[number, string | undefined]> {
  return [res.status, ((await res.json()) as ErrorAnswer).error.code]
}

describe('the user routes, before their handlers', () => {
  it('refuse another site before reading the body or the user', async () => {
    const res = await app.request(CREATE_SESSION_PATH, {method: 'POST', headers: {origin: 'https://evil.example'}, body: tooLarge})
    assert.deepEqual(await codeOf(res), [403, 'forbidden_origin'])
  })

  it('answer 413 to a body too large whether or not anybody is signed in', async () => {
    const res = await app.request(CREATE_SESSION_PATH, {method: 'POST', headers: {'content-type': 'application/json'}, body: tooLarge})
    assert.deepEqual(await codeOf(res), [413, 'body_too_large'])
    assert.equal(res.headers.get('cache-control'), 'no-store')
  })

  it('answer 401 before looking at what the body is', async () => {
    const res = await app.request(CREATE_SESSION_PATH, {method: 'POST', headers: {'content-type': 'text/plain'}, body: '{}'})
    assert.deepEqual(await codeOf(res), [401, 'unauthenticated'])
  })

  it('answer 405 to another method whether or not anybody is signed in, and leave it cacheable', async () => {
    for (const [method, path] of [
      ['GET', CREATE_SESSION_PATH],
      ['POST', SESSION_STATUS_PATH],
      ['OPTIONS', SESSION_STATUS_PATH],
    ] as const) {
      const res = await app.request(path, {method, body: method === 'POST' ? tooLarge : undefined})
      assert.deepEqual(await codeOf(res), [405, 'method_not_allowed'], `${method} ${path}`)
      assert.equal(res.headers.get('cache-control'), null)
    }
  })
})
