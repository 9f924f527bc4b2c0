import assert from 'node:assert/strict'
import type {AddressInfo} from 'node:net'
import {describe, it} from 'node:test'
import {serve} from '@hono/node-server'
import {createStripeClient} from '../../../server/stripe/client.js'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {sessionIdOf} from '../../../protocol/wire.js'
import {
  allSessionsAtStripe,
  clientSecretOf,
  clientSecrets,
  create,
  deliver,
  emulatorSuite,
  errorOf,
  secretsInLogs,
  sessionEvent,
  sessionsAtStripe as sessionsOfUserAtStripe,
  SECRET_KEY,
  stripeClient,
  testApp,
  testStore,
} from '../fixtures.js'

describe('POST /create-verification-session refuses', () => {
  const {app} = testApp({limits: {maxBodyBytes: 64}})

  it('answers 401 without a signed-in user', async () => {
    const res = await create(app, {user: null})
    assert.equal(res.headers.get('cache-control'), 'no-store')
    await errorOf(res, 401, 'unauthenticated')
  })

  it('answers 403 to another site’s Origin', async () => {
    await errorOf(await create(app, {headers: {origin: 'https://evil.example'}}), 403, 'forbidden_origin')
    await errorOf(await create(app, {headers: {origin: 'null'}}), 403, 'forbidden_origin')
  })

  it('answers 403 without Origin when the browser says the request is cross-site', async () => {
    await errorOf(await create(app, {headers: {'sec-fetch-site': 'cross-site'}}), 403, 'forbidden_origin')
  })

  it('answers 415 to a text/plain or form body', async () => {
    await errorOf(await create(app, {headers: {'content-type': 'text/plain'}, body: '{}'}), 415, 'unsupported_media_type')
    await errorOf(await create(app, {headers: {'content-type': 'application/x-www-form-urlencoded'}, body: 'type=id_number'}), 415)
    await errorOf(await create(app, {headers: {'content-type': 'multipart/form-data; boundary=x'}, body: '--x--'}), 415)
  })

  it('answers 400 to a JSON body that does not parse', async () => {
    await errorOf(await create(app, {headers: {'content-type': 'application/json'}, body: '{"a":'}), 400, 'invalid_json')
  })

  it('answers 413 when Content-Length is over the limit', async () => {
    const body = JSON.stringify({padding: 'x'.repeat(100)})
    await errorOf(await create(app, {headers: {'content-type': 'application/json', 'content-length': String(body.length)}, body}), 413, 'body_too_large')
  })

  it('answers 413 when the bytes received pass the limit whatever Content-Length says', async () => {
    const chunk = new TextEncoder().encode('{"padding":"' + 'x'.repeat(100) + '"}')
    const stream = new ReadableStream({start: (controller) => (controller.enqueue(chunk), controller.close())})
    const res = await app.request('/create-verification-session', {
      method: 'POST',
      headers: {'x-test-user': 'user_1', 'content-type': 'application/json', 'content-length': '2'},
      body: stream,
      duplex: 'half',
    } as RequestInit)
    await errorOf(res, 413, 'body_too_large')
  })

  it('answers 502 without detail when Stripe cannot be reached', async () => {
    const error = await errorOf(await create(app), 502)
    assert.deepEqual(error, {message: 'Verification service unavailable', code: 'stripe_unavailable'})
  })
})

describe('CORS of the create endpoint', () => {
  const {app} = testApp({allowedOrigins: ['https://shop.example']})

  it('answers an allowed origin’s preflight with credentials, never *', async () => {
    const res = await app.request('/create-verification-session', {
      method: 'OPTIONS',
      headers: {origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-csrf-token'},
    })
    assert.equal(res.status, 204)
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://shop.example')
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true')
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-csrf-token/)
    assert.match(res.headers.get('vary') ?? '', /Origin/)
  })

  it('lets another origin’s preflight through without credentials, then refuses its request in words it can read', async () => {
    const preflight = await app.request('/create-verification-session', {
      method: 'OPTIONS',
      headers: {origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'identity-verify-visitor'},
    })
    assert.equal(preflight.status, 204)
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://evil.example')
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null)
    const res = await create(app, {user: 'victim', headers: {origin: 'https://evil.example'}})
    assert.equal(res.status, 403)
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://evil.example')
    assert.equal(res.headers.get('access-control-allow-credentials'), null)
    assert.equal(((await res.json()) as {error: {code: string}}).error.code, 'forbidden_origin')
  })

  it('grants nothing to an origin that only ends like an allowed one, or is one of its subdomains', async () => {
    for (const origin of ['https://evilshop.example', 'https://x.shop.example', 'http://shop.example', 'https://shop.example:8443']) {
      const preflight = await app.request('/create-verification-session', {method: 'OPTIONS', headers: {origin, 'access-control-request-method': 'POST'}})
      assert.equal(preflight.headers.get('access-control-allow-credentials'), null, `${origin}: credentials in the preflight`)
      const res = await create(app, {user: 'victim', headers: {origin}})
      assert.equal(res.headers.get('access-control-allow-credentials'), null, `${origin}: credentials in the answer`)
      await errorOf(res, 403, 'forbidden_origin')
    }
  })

  it('lets the server’s own origin through without CORS headers', async () => {
    const res = await create(app, {user: null, headers: {origin: 'http://localhost'}})
    assert.equal(res.status, 401, 'past the origin check, stopped at authentication')
    assert.equal(res.headers.get('access-control-allow-origin'), null)
  })
})

describe('POST /create-verification-session with Stripe', () => {
  const suite = emulatorSuite()
  const {appWith} = suite

  const sessionsAtStripe = (user: string) => sessionsOfUserAtStripe(suite.emulator.url, user)

  it('answers only the client secret, not cached, for a session made with the server’s options', async () => {
    const {app} = appWith({
      sessionOptions: {options: {document: {allowed_types: ['passport'], require_matching_selfie: true}}, return_url: 'https://shop.example/done'},
    })
    const res = await create(app, {
      user: 'options_user',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({type: 'id_number', options: {document: {allowed_types: ['driving_license']}}, client_reference_id: 'someone_else'}),
    })
    assert.equal(res.headers.get('cache-control'), 'no-store')
    const secret = await clientSecretOf(res)
    const [session] = await sessionsAtStripe('options_user')
    assert.ok(session)
    assert.equal(session.id, sessionIdOf(secret))
    assert.equal(session.type, 'document')
    assert.deepEqual(session.options?.document?.allowed_types, ['passport'])
    assert.equal(session.options?.document?.require_matching_selfie, true)
    assert.equal(session.metadata.user_id, 'options_user')
  })

  it('accepts an empty body whatever its content type, as curl -d "" sends it', async () => {
    const {app} = appWith()
    await clientSecretOf(await create(app, {user: 'curl_user', headers: {'content-type': 'application/x-www-form-urlencoded'}, body: ''}))
  })

  it('gives the user’s open session again instead of paying for another', async () => {
    const {app, deps} = appWith()
    const first = await clientSecretOf(await create(app, {user: 'again'}))
    const second = await clientSecretOf(await create(app, {user: 'again'}))
    assert.equal(sessionIdOf(second), sessionIdOf(first))
    assert.equal((await sessionsAtStripe('again')).length, 1)
    assert.equal(await deps.store.countSessions('again'), 1)
  })

  it('asks Stripe before giving up a session the store thinks is processing', async () => {
    const {app} = appWith()
    const first = sessionIdOf(await clientSecretOf(await create(app, {user: 'lagging'})))
    // A processing event whose requires_input successor has not arrived yet.
    const processing = sessionEvent(EVENTS.processing, {id: first, status: 'processing', userRef: 'lagging'}, Math.floor(Date.now() / 1000))
    assert.equal((await deliver(app, processing)).status, 200)
    const second = sessionIdOf(await clientSecretOf(await create(app, {user: 'lagging'})))
    assert.equal(second, first)
    assert.equal((await sessionsAtStripe('lagging')).length, 1)
  })

  it('makes one Stripe session for 20 concurrent requests of one user', async () => {
    const {app} = appWith()
    const answers = await Promise.all(Array.from({length: 20}, () => create(app, {user: 'double_clicker'})))
    const secrets = await Promise.all(answers.map(clientSecretOf))
    assert.equal(new Set(secrets.map(sessionIdOf)).size, 1)
    assert.equal((await sessionsAtStripe('double_clicker')).length, 1)
  })

  it('makes one Stripe session when two server processes sharing a store are asked at once', async () => {
    const store = testStore()
    const one = appWith({store}).app
    const two = appWith({store}).app
    await Promise.all([create(one, {user: 'two_tabs'}), create(two, {user: 'two_tabs'})].map(async (res) => clientSecretOf(await res)))
    assert.equal((await sessionsAtStripe('two_tabs')).length, 1)
  })

  it('creates a new session once the open one was canceled', async () => {
    const {app} = appWith()
    const first = sessionIdOf(await clientSecretOf(await create(app, {user: 'retry_user'})))
    await stripeClient(suite.emulator.url).identity.verificationSessions.cancel(first)
    const second = sessionIdOf(await clientSecretOf(await create(app, {user: 'retry_user'})))
    assert.notEqual(second, first)
    assert.equal((await sessionsAtStripe('retry_user')).length, 2)
  })

  it('answers 429 with Retry-After once a user passes their limit', async () => {
    const {app} = appWith({limits: {perUser: {max: 2, windowMs: 60_000}}})
    await clientSecretOf(await create(app, {user: 'eager'}))
    await clientSecretOf(await create(app, {user: 'eager'}))
    const res = await create(app, {user: 'eager'})
    await errorOf(res, 429, 'rate_limited')
    const retryAfter = Number(res.headers.get('retry-after'))
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
    await clientSecretOf(await create(app, {user: 'patient'}))
  })

  it('counts requests marked as prefetches apart from clicks: hovering on many pages keeps the clicks', async () => {
    const {app} = appWith({limits: {perUser: {max: 2, windowMs: 60_000}, perUserPrefetch: {max: 3, windowMs: 60_000}}})
    const prefetch = {'Identity-Verify-Intent': 'prefetch'}
    for (let i = 0; i < 3; i++) await clientSecretOf(await create(app, {user: 'hoverer', headers: prefetch}))
    const refused = await create(app, {user: 'hoverer', headers: prefetch})
    await errorOf(refused, 429, 'rate_limited')
    assert.ok(Number(refused.headers.get('retry-after')) >= 1)
    // The clicks have their own allowance, untouched by the prefetches: the same open session.
    const sessionOf = async (res: Response) => (await clientSecretOf(res)).split('_secret_')[0]
    const first = await sessionOf(await create(app, {user: 'hoverer'}))
    assert.equal(await sessionOf(await create(app, {user: 'hoverer'})), first)
    await errorOf(await create(app, {user: 'hoverer'}), 429, 'rate_limited')
    assert.equal((await sessionsAtStripe('hoverer')).length, 1)
  })

  it('answers 429 once one IP address made its limit of new sessions, whoever signs in', async () => {
    const {app} = appWith({limits: {perIp: {max: 2, windowMs: 60_000}}})
    const server = serve({fetch: app.fetch, port: 0, hostname: '127.0.0.1'})
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/create-verification-session`
      const post = (user: string) => fetch(url, {method: 'POST', headers: {'x-test-user': user}})
      await clientSecretOf(await post('ip_a'))
      await clientSecretOf(await post('ip_b'))
      await clientSecretOf(await post('ip_a')) // reusing an open session creates nothing
      const res = await post('ip_c')
      await errorOf(res, 429, 'rate_limited')
      assert.ok(Number(res.headers.get('retry-after')) >= 1)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('answers 429 until the next UTC day once the day’s submitted sessions reach the cap, and still hands back an open session', async () => {
    const noon = Date.UTC(2026, 5, 1, 12)
    const {app} = appWith({limits: {dailySubmissions: 2}, now: () => noon})
    const open = sessionIdOf(await clientSecretOf(await create(app, {user: 'cap_open'})))
    // Creates alone cost nothing: however many there are, the cap is not reached.
    const submitted = []
    for (const user of ['cap_1', 'cap_2', 'cap_3']) submitted.push({user, id: sessionIdOf(await clientSecretOf(await create(app, {user})))})
    // Two of them are submitted: Stripe's processing events, signed and delivered at noon.
    for (const {user, id} of submitted.slice(0, 2)) {
      const event = sessionEvent(EVENTS.processing, {id, status: 'processing', userRef: user}, noon / 1000)
      assert.equal((await deliver(app, event, {timestamp: noon / 1000})).status, 200)
    }
    const res = await create(app, {user: 'cap_new'})
    await errorOf(res, 429, 'rate_limited')
    assert.equal(res.headers.get('retry-after'), String(12 * 60 * 60))
    assert.equal((await sessionsAtStripe('cap_new')).length, 0)
    assert.equal(sessionIdOf(await clientSecretOf(await create(app, {user: 'cap_open'}))), open, 'an open session is still handed back')
    assert.equal(sessionIdOf(await clientSecretOf(await create(app, {user: 'cap_3'}))), submitted[2]!.id)
  })

  it('answers 502 without Stripe’s words when Stripe answers 500', async () => {
    const {app} = appWith()
    suite.emulator.injectFault({method: 'POST', path: '/v1/identity/verification_sessions', status: 500, count: 1})
    const res = await create(app, {user: 'unlucky'})
    assert.equal(res.status, 502)
    assert.equal(await res.text(), '{"error":{"message":"Verification service unavailable","code":"stripe_unavailable"}}')
  })

  it('answers 400 invalid_user_reference to a user reference that is not printable or is over 255 characters, touching neither the store nor Stripe', async () => {
    const unusable = {
      'a NUL': 'user\u0000x',
      'a line break': 'user\nx',
      'a DEL': 'user\u007f',
      'a C1 control': 'user\u0085',
      'a line separator': 'user\u2028x',
      'a lone high surrogate': 'user\uD800x',
      'a lone low surrogate': 'x\uDC00',
      '256 characters': 'u'.repeat(256),
      '128 emoji, 256 characters as JavaScript counts them': '😀'.repeat(128),
    }
    const sessionsBefore = (await allSessionsAtStripe(suite.emulator.url)).length
    for (const [what, userRef] of Object.entries(unusable)) {
      const store = testStore()
      const used: string[] = []
      const watched = new Proxy(store, {
        get: (target, name, receiver) => {
          const value = Reflect.get(target, name, receiver) as unknown
          return typeof value === 'function' ? (...args: unknown[]) => (used.push(String(name)), value.apply(target, args)) : value
        },
      })
      const {app} = appWith({store: watched, authenticate: () => userRef})
      const error = await errorOf(await create(app), 400, 'invalid_user_reference')
      assert.match(error.message, /printable text of at most 255 characters/, what)
      assert.deepEqual(used, [], `${what}: the store was used`)
    }
    assert.equal((await allSessionsAtStripe(suite.emulator.url)).length, sessionsBefore, 'Stripe was asked')
  })

  it('takes a user reference of 255 characters, of any script', async () => {
    for (const userRef of ['u'.repeat(255), `${'😀'.repeat(127)}u`, 'Zoë Ødegård 山田']) {
      const {app} = appWith({authenticate: () => userRef})
      await clientSecretOf(await create(app))
      assert.equal((await sessionsAtStripe(userRef)).length, 1)
    }
  })

  it('answers 502 when Stripe does not answer in time', async () => {
    const {app} = appWith({stripe: stripeClient(suite.emulator.url, 300)})
    suite.emulator.injectFault({method: 'POST', path: '/v1/identity/verification_sessions', delayMs: 1500, count: 1})
    const res = await create(app, {user: 'slow'})
    assert.equal(res.status, 502)
    assert.equal(await res.text(), '{"error":{"message":"Verification service unavailable","code":"stripe_unavailable"}}')
  })
})

it('logged no client secret, secret key or webhook secret', () => {
  assert.ok(clientSecrets.length > 20, 'client secrets were handed out')
  assert.deepEqual(secretsInLogs(clientSecrets), [])
})

describe('the emulator’s Stripe.js double in the create answer', () => {
  const suite = emulatorSuite()
  const {appWith} = suite
  const answerOf = async (app: ReturnType<typeof appWith>['app'], user: string) => {
    const res = await create(app, {user})
    assert.equal(res.status, 200)
    return (await res.json()) as Record<string, string>
  }

  it('answers, with the client secret, the double of the emulator the Stripe client talks to, and the double is there', async () => {
    const answer = await answerOf(appWith().app, 'double_default')
    assert.deepEqual(Object.keys(answer), ['client_secret', 'stripe_js'])
    assert.equal(answer.stripe_js, `${suite.emulator.url}/stripe.js`)
    const script = await fetch(answer.stripe_js!)
    assert.equal(script.status, 200)
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/)
    assert.match(await script.text(), /window\.Stripe = Stripe/)
  })

  it('answers the stripeJsUrl given, where browsers reach the emulator', async () => {
    const stripeJsUrl = `http://localhost:${new URL(suite.emulator.url).port}/stripe.js`
    assert.equal((await answerOf(appWith({stripeJsUrl}).app, 'double_given')).stripe_js, stripeJsUrl)
  })

  it('answers the client secret alone with stripeJsUrl: null', async () => {
    assert.deepEqual(Object.keys(await answerOf(appWith({stripeJsUrl: null}).app, 'double_off')), ['client_secret'])
  })

  it('never answers it from a server whose Stripe client is made for real Stripe', async () => {
    // The client believes it talks to api.stripe.com; its requests are carried to the emulator.
    const realFetch = globalThis.fetch
    globalThis.fetch = (input, init) => realFetch(String(input instanceof Request ? input.url : input).replace('https://api.stripe.com', suite.emulator.url), init)
    let stripe
    try {
      stripe = createStripeClient({secretKey: SECRET_KEY})
    } finally {
      globalThis.fetch = realFetch
    }
    assert.deepEqual(Object.keys(await answerOf(appWith({stripe}).app, 'double_real')), ['client_secret'])
    assert.throws(() => appWith({stripe, stripeJsUrl: 'http://localhost:12111/stripe.js'}), /only with a Stripe client pointed at the emulator/)
  })

  it('refuses a stripeJsUrl that is not an absolute http or https URL', () => {
    for (const stripeJsUrl of ['/stripe.js', 'javascript:alert(1)', 'localhost:12111/stripe.js']) {
      assert.throws(() => appWith({stripeJsUrl}), /absolute http or https URL/, stripeJsUrl)
    }
  })
})
