import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {visitorIdentity} from '../../server/visitor/identity.js'
import {readConfig} from '../../site/config.js'
import {siteApp} from '../../site/site-app.js'
import {stripeClient, testLogger, testStore, WEBHOOK_SECRET} from '../server/fixtures.js'

// `GET /setup/origin`, /embed's setup check: whether the server accepts pages of one origin, compared
// as it compares a request's `Origin` (scheme, host and port), without ever listing the others.

const OWN = 'https://verify.example'

function app(env: Record<string, string>) {
  const config = readConfig({PUBLIC_URL: OWN, ...env}, () => WEBHOOK_SECRET)
  const visitor = visitorIdentity({secret: 'a-test-secret-that-is-long-enough-0123456789', publicUrl: OWN})
  // Nothing here calls Stripe: a client that would reach nothing is enough.
  return siteApp({config, stripe: stripeClient('http://127.0.0.1:9'), visitor, store: testStore(), logger: testLogger, pages: true})
}

async function check(site: ReturnType<typeof app>, origin: string | null): Promise<{status: number; body: unknown; cache: string | null}> {
  const query = origin === null ? '' : `?origin=${encodeURIComponent(origin)}`
  const res = await site.request(`/setup/origin${query}`)
  return {status: res.status, body: await res.json(), cache: res.headers.get('cache-control')}
}

describe('GET /setup/origin', () => {
  const site = app({ALLOWED_ORIGINS: 'https://shop.example,http://localhost:8080'})

  it('answers whether one origin is allowed, never the list', async () => {
    assert.deepEqual(await check(site, 'https://shop.example'), {status: 200, body: {origin: 'https://shop.example', allowed: true}, cache: 'no-store'})
    assert.deepEqual((await check(site, 'https://blog.example')).body, {origin: 'https://blog.example', allowed: false})
    assert.deepEqual((await check(site, 'http://localhost:8080')).body, {origin: 'http://localhost:8080', allowed: true})
  })

  it('compares scheme, host and port whole, as the origin check does', async () => {
    assert.deepEqual((await check(site, 'http://shop.example')).body, {origin: 'http://shop.example', allowed: false})
    assert.deepEqual((await check(site, 'https://www.shop.example')).body, {origin: 'https://www.shop.example', allowed: false})
    assert.deepEqual((await check(site, 'https://shop.example:8443')).body, {origin: 'https://shop.example:8443', allowed: false})
    assert.deepEqual((await check(site, 'http://localhost:8081')).body, {origin: 'http://localhost:8081', allowed: false})
    // The default port and the host's case are the same origin.
    assert.deepEqual((await check(site, 'HTTPS://Shop.Example:443')).body, {origin: 'https://shop.example', allowed: true})
  })

  it('reduces a page’s address to its origin, as a site owner often pastes one', async () => {
    assert.deepEqual((await check(site, 'https://shop.example/about/us?x=1#team')).body, {origin: 'https://shop.example', allowed: true})
  })

  it('counts the server’s own PUBLIC_URL as allowed, with no ALLOWED_ORIGINS at all', async () => {
    const alone = app({})
    assert.deepEqual((await check(alone, `${OWN}/embed`)).body, {origin: OWN, allowed: true})
    assert.deepEqual((await check(alone, 'https://shop.example')).body, {origin: 'https://shop.example', allowed: false})
  })

  it('answers 400 with a sentence for a missing or malformed origin', async () => {
    const cases: Array<[string | null, RegExp]> = [
      [null, /Give the origin to check in the origin parameter, such as https:\/\/shop\.example/],
      ['', /Give the origin to check/],
      ['shop.example', /"shop\.example" is not a web address: give it with its scheme/],
      ['ftp://shop.example', /is not an http or https address/],
      ['javascript:alert(1)', /is not an http or https address/],
      ['https://user:pw@shop.example', /has a user name or password/],
    ]
    for (const [origin, message] of cases) {
      const answer = await check(site, origin)
      assert.equal(answer.status, 400, String(origin))
      const {error} = answer.body as {error: {message: string; code: string}}
      assert.equal(error.code, 'invalid_origin')
      assert.match(error.message, message)
    }
  })
})
