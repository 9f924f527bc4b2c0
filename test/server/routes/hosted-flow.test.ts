import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type Stripe from 'stripe'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {RETURN_URL_HEADER, sessionIdOf} from '../../../protocol/wire.js'
import {clientSecretOf, create, deliver, emulatorSuite, errorOf, sessionEvent, sessionsAtStripe, stripeClient} from '../fixtures.js'

// The hosted flow: asked with the page to come back to, the create answers the session's hosted page
// URL, and only for a page on the server's own origin (http://localhost for app.request) or an allowed one.

/** The page a hosted session's URL returns to once an outcome is chosen: its 303's `Location`. */
async function returnsTo(url: string): Promise<string | null> {
  const chosen = await fetch(url, {method: 'POST', body: new URLSearchParams({outcome: 'verified'}), redirect: 'manual'})
  assert.equal(chosen.status, 303)
  return chosen.headers.get('location')
}

describe('POST /create-verification-session for the hosted page', () => {
  const suite = emulatorSuite()
  const {appWith} = suite

  const hosted = (returnUrl: string, user = 'hosted_user', headers: Record<string, string> = {}) => ({user, headers: {[RETURN_URL_HEADER]: returnUrl, ...headers}}) as const

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

  it('answers 400 return_url_not_allowed to a page of an allowed host on another scheme or port', async () => {
    const {app} = appWith({allowedOrigins: ['https://shop.example']})
    for (const page of ['http://shop.example/', 'https://shop.example:8443/', 'http://localhost:8080/']) {
      await errorOf(await create(app, hosted(page, 'other_port')), 400, 'return_url_not_allowed')
    }
    assert.equal((await sessionsAtStripe(suite.emulator.url, 'other_port')).length, 0)
  })

  /** A client of the suite's emulator whose creates wait until `count` were asked for: decided on the same view of the user's sessions. */
  function creatingTogether(count: number): Stripe {
    const stripe = stripeClient(suite.emulator.url)
    const sessions = stripe.identity.verificationSessions
    const createAtStripe = sessions.create.bind(sessions)
    let asked = 0
    let all!: () => void
    const together = new Promise<void>((resolve) => (all = resolve))
    sessions.create = (async (...args: Parameters<typeof createAtStripe>) => {
      if (++asked === count) all()
      await together
      return createAtStripe(...args)
    }) as typeof createAtStripe
    return stripe
  }

  it('makes two sessions when the modal and the hosted page are asked for at the same time', async () => {
    const {app} = appWith({stripe: creatingTogether(2)})
    const page = 'http://localhost/verify'
    const [modal, redirect] = await Promise.all([create(app, {user: 'both_at_once'}), create(app, hosted(page, 'both_at_once'))])
    const modalSession = sessionIdOf(await clientSecretOf(modal))
    const url = await urlOf(redirect)
    const sessions = await sessionsAtStripe(suite.emulator.url, 'both_at_once')
    assert.equal(sessions.length, 2)
    const hostedSession = sessions.find((session) => session.url === url)
    assert.ok(hostedSession, 'the hosted page is a session of the user')
    assert.notEqual(hostedSession.id, modalSession)
    assert.equal(await returnsTo(url), page)
  })

  it('makes a session per page when two pages ask for the hosted page at the same time', async () => {
    const {app} = appWith({stripe: creatingTogether(2)})
    const pages = ['http://localhost/verify', 'http://localhost/settings/identity']
    const urls = await Promise.all(pages.map(async (page) => urlOf(await create(app, hosted(page, 'two_tabs')))))
    assert.notEqual(urls[0], urls[1])
    assert.equal((await sessionsAtStripe(suite.emulator.url, 'two_tabs')).length, 2)
    assert.deepEqual(await Promise.all(urls.map(returnsTo)), pages)
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
    assert.equal(await returnsTo(url), longest)
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
