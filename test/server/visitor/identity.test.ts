import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Hono} from 'hono'
import {visitorIdentity} from '../../../server/visitor/identity.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'

function site(secret = SECRET, now = Date.now, publicUrl = 'http://localhost') {
  const visitor = visitorIdentity({secret, publicUrl, now})
  const app = new Hono()
  app.use('*', visitor.middleware)
  app.use('/session', visitor.credentials)
  app.get('/', (c) => c.html('<!doctype html><title>demo</title>'))
  app.get('/api', (c) => c.json({ok: true}))
  app.get('/whoami', async (c) => c.json({visitor: await visitor.authenticate(c)}))
  // Stands for the create (POST) and status (GET) routes; `?refuse` answers as a refused request does.
  app.on(['GET', 'POST'], '/session', async (c) => {
    if (c.req.query('refuse') !== undefined) return c.json({error: {message: 'no'}}, 403)
    return c.json({visitor: await visitor.authenticate(c)})
  })
  return app
}

const PAGE = 'https://shop.example'
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const DAY = 24 * 60 * 60 * 1000

/** A request from a page of `origin` on another site, with a credential when given. */
function fromPage(origin: string, credential?: string, method = 'POST'): RequestInit {
  return {method, headers: {origin, ...(credential && {'identity-verify-visitor': credential})}}
}

async function visitorOf(res: Response): Promise<string | null> {
  return ((await res.json()) as {visitor: string | null}).visitor
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

  it('marks the cookie Secure when the server’s configured origin is https, whatever the request says', async () => {
    const secure = site(SECRET, Date.now, 'https://verify.example')
    // Behind a proxy that ends TLS, the request arrives over http.
    assert.match((await secure.request('http://verify.example/')).headers.get('set-cookie') ?? '', /Secure/)
    const plain = await site().request('https://localhost/', {headers: {'x-forwarded-proto': 'https'}})
    assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /Secure/)
  })

  it('takes a request without Origin for one of the configured origin’s pages, whatever its Host', async () => {
    const app = site()
    const credential = (await app.request('http://localhost/session', fromPage('http://localhost'))).headers.get('identity-verify-visitor')!
    const id = credential.split('.')[0]
    const headers = {'identity-verify-visitor': credential}
    assert.equal(await visitorOf(await app.request('http://evil.example/session', {headers})), id)
    const foreign = (await app.request('http://evil.example/session', fromPage('http://evil.example'))).headers.get('identity-verify-visitor')!
    assert.equal(await visitorOf(await app.request('http://evil.example/session', {headers: {'identity-verify-visitor': foreign}})), null)
  })

  it('refuses a public URL that is not an origin, naming the option', () => {
    for (const publicUrl of [
      'verify.example',
      'https://verify.example/app',
      'https://verify.example/?x=1',
      'https://verify.example/#top',
      'https://me:pw@verify.example',
      'ftp://verify.example',
    ]) {
      assert.throws(() => visitorIdentity({secret: SECRET, publicUrl}), /visitorIdentity's publicUrl/, publicUrl)
    }
    assert.throws(() => visitorIdentity({secret: SECRET} as Parameters<typeof visitorIdentity>[0]), /visitorIdentity's publicUrl is missing/)
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

  it('gives a first-time visitor of another site a credential with its first request, and knows them by it', async () => {
    const app = site()
    const first = await app.request('http://localhost/session', fromPage(PAGE))
    assert.equal(first.status, 200)
    const id = await visitorOf(first)
    assert.match(id ?? '', /^v_[\w-]{22}$/)
    const credential = first.headers.get('identity-verify-visitor') ?? ''
    assert.ok(credential.startsWith(`${id}.`), credential)
    assert.match(first.headers.get('access-control-expose-headers') ?? '', /Identity-Verify-Visitor/i)
    assert.equal(first.headers.get('set-cookie'), null, 'no third-party cookie')
    for (const method of ['POST', 'GET']) {
      const again = await app.request('http://localhost/session', fromPage(PAGE, credential, method))
      assert.equal(await visitorOf(again), id, method)
      assert.equal(again.headers.get('identity-verify-visitor'), null, 'a fresh credential is not renewed')
    }
  })

  it('issues no identity to a GET without one, to a request from no page (curl), nor with a refused answer', async () => {
    const app = site()
    const curl = await app.request('http://localhost/session', {method: 'POST'})
    assert.equal(await visitorOf(curl), null)
    assert.equal(curl.headers.get('identity-verify-visitor'), null)
    const status = await app.request('http://localhost/session', fromPage(PAGE, undefined, 'GET'))
    assert.equal(await visitorOf(status), null)
    assert.equal(status.headers.get('identity-verify-visitor'), null)
    const refused = await app.request('http://localhost/session?refuse', fromPage(PAGE))
    assert.equal(refused.status, 403)
    assert.equal(refused.headers.get('identity-verify-visitor'), null)
  })

  it('does not recognise a credential that was edited, signed with another secret, expired, or presented by another site', async () => {
    let now = Date.now()
    const app = site(SECRET, () => now)
    const credential = (await app.request('http://localhost/session', fromPage(PAGE))).headers.get('identity-verify-visitor')!
    const foreign = (await site('another-secret-that-is-long-enough-9876543210').request('http://localhost/session', fromPage(PAGE))).headers.get('identity-verify-visitor')!
    const [id, expires, origin, signature] = credential.split('.') as [string, string, string, string]
    const flip = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A')
    const forged = {
      'edited id': [flip(id), expires, origin, signature].join('.'),
      'edited expiry': [id, String(Number(expires) + 3600), origin, signature].join('.'),
      'edited origin': [id, expires, Buffer.from('https://evil.example').toString('base64url'), signature].join('.'),
      'edited signature': [id, expires, origin, flip(signature)].join('.'),
      // The same signature bytes spelt otherwise: the last character's spare bits changed.
      'respelt signature': [id, expires, origin, signature.slice(0, -1) + BASE64URL[BASE64URL.indexOf(signature.at(-1)!) ^ 1]].join('.'),
      'another secret': foreign,
      'not a credential': 'v_AAAAAAAAAAAAAAAAAAAAAA',
    }
    for (const [what, value] of Object.entries(forged)) {
      assert.equal(await visitorOf(await app.request('http://localhost/session', fromPage(PAGE, value, 'GET'))), null, what)
    }
    assert.equal(await visitorOf(await app.request('http://localhost/session', fromPage('https://evil.example', credential, 'GET'))), null, 'another site')
    now += 31 * DAY
    assert.equal(await visitorOf(await app.request('http://localhost/session', fromPage(PAGE, credential, 'GET'))), null, 'expired')
  })

  it('renews a credential past half its life, for the same visitor', async () => {
    let now = Date.now()
    const app = site(SECRET, () => now)
    const first = await app.request('http://localhost/session', fromPage(PAGE))
    const id = await visitorOf(first)
    now += 20 * DAY
    const later = await app.request('http://localhost/session', fromPage(PAGE, first.headers.get('identity-verify-visitor')!, 'GET'))
    assert.equal(await visitorOf(later), id)
    const renewed = later.headers.get('identity-verify-visitor') ?? ''
    assert.ok(renewed.startsWith(`${id}.`))
    now += 20 * DAY
    assert.equal(await visitorOf(await app.request('http://localhost/session', fromPage(PAGE, renewed, 'GET'))), id)
  })

  it('refuses a short secret', () => {
    assert.throws(() => visitorIdentity({secret: 'short', publicUrl: 'http://localhost'}), /at least 32 characters/)
  })
})
