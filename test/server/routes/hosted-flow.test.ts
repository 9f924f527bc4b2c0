import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {RETURN_URL_HEADER, sessionIdOf} from '../../../protocol/wire.js'
import {clientSecretOf, create, deliver, emulatorSuite, errorOf, sessionEvent, sessionsAtStripe, stripeClient} from '../fixtures.js'

// The hosted flow: asked with the page to come back to, the create answers the session's hosted page
// URL, and only for a page on the server's own origin (http://localhost for app.request) or an allowed one.

describe('POST /create-verification-session for the hosted page', () => {
  const suite = emulatorSuite()
  const {appWith} = suite

  const hosted = (returnUrl: string, user = 'hosted_user', headers: Record<string, string> = {}) =>
    ({user, headers: {[RETURN_URL_HEADER]: returnUrl, ...headers}}) as const

  /** The `url` of a 200 answer that holds it and nothing else. */
  async function urlOf(res: Response): Promise<string> {
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    const json = (await res.json()) as Record<string, unknown>
    assert.deepEqual(Object.keys(json), ['url'])
    return json.url as string
  }

  it('answers the hosted page’s URL only, which names neither the session nor its secret and returns to the page', async () => {
    const {app} = appWith()
    const page = 'http://localhost/onboarding?step=3'
    const url = await urlOf(await create(app, hosted(page, 'returns')))
    const [session] = await sessionsAtStripe(suite.emulator.url, 'returns')
    assert.ok(session)
    assert.ok(url.startsWith(`${suite.emulator.url}/`), url)
    assert.ok(!url.includes(session.id), 'the URL names the session')
    assert.doesNotMatch(url, /_secret_/)
    assert.equal((await fetch(url)).status, 200)
    const chosen = await fetch(url, {method: 'POST', body: new URLSearchParams({outcome: 'verified'}), redirect: 'manual'})
    assert.equal(chosen.status, 303)
    assert.equal(chosen.headers.get('location'), page)
    assert.equal((await stripeClient(suite.emulator.url).identity.verificationSessions.retrieve(session.id)).status, 'verified')
  })

  it('accepts a page on an allowed origin', async () => {
    const {app} = appWith({allowedOrigins: ['https://shop.example']})
    await urlOf(await create(app, hosted('https://shop.example/verify', 'allowed', {origin: 'https://shop.example'})))
  })

  it('answers 400 return_url_not_allowed to a page on another site, and asks Stripe for nothing', async () => {
    const {app} = appWith({allowedOrigins: ['https://shop.example']})
    for (const page of ['https://evil.example/phish', 'https://shop.example.evil.example/', 'javascript:alert(1)', 'not a url', '//evil.example/']) {
      await errorOf(await create(app, hosted(page, 'redirected')), 400, 'return_url_not_allowed')
    }
    assert.equal((await sessionsAtStripe(suite.emulator.url, 'redirected')).length, 0)
  })

  it('answers 400 return_url_too_long to a page over 2,048 characters, even on an allowed origin, and asks Stripe for nothing', async () => {
    const {app} = appWith({allowedOrigins: ['https://shop.example']})
    const start = 'https://shop.example/verify?ref='
    const page = (length: number) => start + 'a'.repeat(length - start.length)
    // Escaped when parsed, 700 spaces become 2,100 characters: what goes to Stripe is measured.
    for (const returnUrl of [page(8192), page(2049), `${start}${' '.repeat(700)}x`]) {
      const error = await errorOf(await create(app, hosted(returnUrl, 'long_page')), 400, 'return_url_too_long')
      assert.match(error.message, /longer than 2048 characters/)
    }
    assert.equal((await sessionsAtStripe(suite.emulator.url, 'long_page')).length, 0)
    const longest = page(2048)
    const url = await urlOf(await create(app, hosted(longest, 'long_page')))
    const chosen = await fetch(url, {method: 'POST', body: new URLSearchParams({outcome: 'verified'}), redirect: 'manual'})
    assert.equal(chosen.headers.get('location'), longest)
  })

  it('makes a new session for the hosted page rather than reuse the open one the modal had', async () => {
    const {app} = appWith()
    const modal = sessionIdOf(await clientSecretOf(await create(app, {user: 'switcher'})))
    await urlOf(await create(app, hosted('http://localhost/', 'switcher')))
    const sessions = await sessionsAtStripe(suite.emulator.url, 'switcher')
    assert.equal(sessions.length, 2)
    assert.notEqual(sessions[0]!.id, modal)
  })

  it('answers 409 already_verified to a verified user, as for the modal', async () => {
    const {app} = appWith()
    const id = sessionIdOf(await clientSecretOf(await create(app, {user: 'done_already'})))
    await deliver(app, sessionEvent(EVENTS.verified, {id, status: 'verified', userRef: 'done_already'}, Math.floor(Date.now() / 1000)))
    const res = await create(app, hosted('http://localhost/', 'done_already'))
    assert.equal(res.status, 409)
    assert.deepEqual(await res.json(), {
      error: {message: 'Your identity is already verified', code: 'already_verified'},
      session: {id, status: 'verified', last_error: null},
    })
    assert.equal((await sessionsAtStripe(suite.emulator.url, 'done_already')).length, 1)
  })
})
