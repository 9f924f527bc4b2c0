import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Hono} from 'hono'
import {visitorIdentity} from '../../server/visitor.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

function site(secret = SECRET) {
  const visitor = visitorIdentity({secret})
  const app = new Hono()
  app.use('*', visitor.middleware)
  app.get('/', (c) => c.html('<!doctype html><title>demo</title>'))
  app.get('/api', (c) => c.json({ok: true}))
  app.get('/whoami', async (c) => c.json({visitor: await visitor.authenticate(c)}))
  return app
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!

describe('visitorIdentity', () => {
  it('gives a page visitor an HttpOnly, SameSite=Lax signed cookie', async () => {
    const res = await site().request('/')
    const cookie = res.headers.get('set-cookie') ?? ''
    assert.match(cookie, /^identity_verify_visitor=v_[\w-]{22}\.[^;]+;/)
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /SameSite=Lax/)
    assert.doesNotMatch(cookie, /Secure/)
  })

  it('marks the cookie Secure over https', async () => {
    const res = await site().request('https://shop.example/')
    assert.match(res.headers.get('set-cookie') ?? '', /Secure/)
  })

  it('sets no cookie on JSON answers', async () => {
    assert.equal((await site().request('/api')).headers.get('set-cookie'), null)
  })

  it('recognises the visitor by the cookie and keeps it', async () => {
    const app = site()
    const cookie = cookieOf(await app.request('/'))
    const again = await app.request('/', {headers: {cookie}})
    assert.equal(again.headers.get('set-cookie'), null)
    const {visitor} = (await (await app.request('/whoami', {headers: {cookie}})).json()) as {visitor: string}
    assert.equal(visitor, decodeURIComponent(cookie.split('=')[1]!).split('.')[0])
  })

  it('does not recognise a cookie edited by the visitor or signed with another secret', async () => {
    const app = site()
    const cookie = cookieOf(await app.request('/'))
    const edited = cookie.replace(/=v_(.)/, (_, first: string) => `=v_${first === 'A' ? 'B' : 'A'}`)
    const other = cookieOf(await site('another-secret-that-is-long-enough-9876543210').request('/'))
    for (const forged of [edited, other, 'identity_verify_visitor=v_AAAAAAAAAAAAAAAAAAAAAA']) {
      const {visitor} = (await (await app.request('/whoami', {headers: {cookie: forged}})).json()) as {visitor: string | null}
      assert.equal(visitor, null, forged)
    }
  })

  it('refuses a short secret', () => {
    assert.throws(() => visitorIdentity({secret: 'short'}), /at least 32 characters/)
  })
})
