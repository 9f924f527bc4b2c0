import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {createServer, type AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {spawnProgram, stopDuringRequest} from '../../harness/server-process.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-main-'))
after(() => rmSync(folder, {recursive: true, force: true}))

/** `npm start` as a child process, with only the given environment (no STRIPE_* of the caller). */
function start(env: Record<string, string>) {
  return spawnProgram({
    entry: 'standalone/main.ts',
    inheritEnv: false,
    env: {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: join(folder, 'main.sqlite'), ...env},
  })
}

const REAL_KEY = 'sk_test_' + 'a1B2c3D4e5F6g7H8i9J0'
const REAL_PUBLISHABLE = 'pk_test_' + 'z9Y8x7W6v5U4t3S2r1Q0'

describe('npm start with a real key', () => {
  it('refuses to start without a webhook secret', async () => {
    const server = start({STRIPE_SECRET_KEY: REAL_KEY, STRIPE_PUBLISHABLE_KEY: REAL_PUBLISHABLE})
    assert.equal(await server.exited, 1)
    assert.match(server.output(), /cannot start: STRIPE_WEBHOOK_SECRET is required/)
  })

  it('refuses to start with a malformed webhook secret', async () => {
    const server = start({STRIPE_SECRET_KEY: REAL_KEY, STRIPE_PUBLISHABLE_KEY: REAL_PUBLISHABLE, STRIPE_WEBHOOK_SECRET: 'my-secret'})
    assert.equal(await server.exited, 1)
    assert.match(server.output(), /STRIPE_WEBHOOK_SECRET is malformed/)
    assert.doesNotMatch(server.output(), /my-secret/)
  })

  it('refuses to start with a malformed entry in ALLOWED_ORIGINS, naming it', async () => {
    const server = start({ALLOWED_ORIGINS: 'https://shop.example, shop.example/page', PORT: '0', EMULATOR_PORT: '0'})
    assert.equal(await server.exited, 1)
    assert.match(server.output(), /cannot start: ALLOWED_ORIGINS has a malformed entry "shop\.example\/page"/)
  })

  it('refuses to start without PUBLIC_URL, naming it and showing one', async () => {
    const server = start({STRIPE_SECRET_KEY: REAL_KEY, STRIPE_PUBLISHABLE_KEY: REAL_PUBLISHABLE, STRIPE_WEBHOOK_SECRET: 'whsec_' + 'q'.repeat(32)})
    assert.equal(await server.exited, 1)
    assert.match(server.output(), /cannot start: PUBLIC_URL is required with STRIPE_SECRET_KEY: .*PUBLIC_URL=https:\/\/verify\.example\.com/)
  })

  it('serves at the PUBLIC_URL it is given, printed in its banner and used in /embed’s snippet', async () => {
    const server = start({
      STRIPE_SECRET_KEY: REAL_KEY,
      STRIPE_PUBLISHABLE_KEY: REAL_PUBLISHABLE,
      STRIPE_WEBHOOK_SECRET: 'whsec_' + 'q'.repeat(32),
      PUBLIC_URL: 'https://verify.example/',
      ALLOWED_ORIGINS: 'https://shop.example',
      PORT: '0',
      DATABASE_PATH: join(folder, 'public-url', 'store.sqlite'),
    })
    try {
      const deadline = Date.now() + 15_000
      let local: string | undefined
      while (!(local = server.output().match(/--forward-to (http:\/\/localhost:\d+)\/webhook/)?.[1]) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      assert.ok(local, `no banner in: ${server.output()}`)
      assert.match(server.output(), /Public URL:\s+https:\/\/verify\.example \(PUBLIC_URL\)/)
      assert.match(server.output(), /Demo:\s+https:\/\/verify\.example\//)
      assert.match(server.output(), /Webhook:\s+https:\/\/verify\.example\/webhook/)
      const embed = await (await fetch(`${local}/embed`)).text()
      assert.match(embed, /https:\/\/verify\.example\/create-verification-session/)
      assert.doesNotMatch(embed, /localhost/)
      // Its own origin is the configured one: a page at the address it was reached by is another site.
      const fromLocal = await fetch(`${local}/create-verification-session`, {method: 'POST', headers: {origin: local}})
      assert.equal(fromLocal.status, 403)
      const page = await fetch(`${local}/`)
      assert.match(page.headers.get('set-cookie') ?? '', /Secure/, 'the cookie is Secure: the configured origin is https')
      // /embed's setup check reads the same settings: PUBLIC_URL and ALLOWED_ORIGINS accepted, the address it was reached by not.
      const check = async (origin: string) => (await fetch(`${local}/setup/origin?origin=${encodeURIComponent(origin)}`)).json()
      assert.deepEqual(
        [await check('https://verify.example/embed'), await check('https://shop.example/checkout'), await check(local)],
        [
          {origin: 'https://verify.example', allowed: true},
          {origin: 'https://shop.example', allowed: true},
          {origin: local, allowed: false},
        ],
      )
    } finally {
      await server.stop(0)
    }
  })

  it('refuses to start with a malformed secret key', async () => {
    const server = start({STRIPE_SECRET_KEY: 'pk_test_oops', STRIPE_WEBHOOK_SECRET: 'whsec_' + 'q'.repeat(32)})
    assert.equal(await server.exited, 1)
    assert.match(server.output(), /STRIPE_SECRET_KEY is malformed/)
    assert.doesNotMatch(server.output(), /pk_test_oops|q{32}/)
  })
})

describe('npm start in emulator mode', () => {
  it('refuses to start with a PUBLIC_URL that is not an origin, naming it', async () => {
    const server = start({PUBLIC_URL: 'https://verify.example/app', PORT: '0', EMULATOR_PORT: '0'})
    assert.equal(await server.exited, 1)
    assert.match(server.output(), /cannot start: PUBLIC_URL "https:\/\/verify\.example\/app" has a path/)
  })

  it('says which port to change when the emulator’s port is taken', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    try {
      const port = (taken.address() as AddressInfo).port
      const server = start({PORT: '0', EMULATOR_PORT: String(port)})
      assert.equal(await server.exited, 1)
      assert.match(server.output(), new RegExp(`cannot start: the emulator cannot listen on port ${port} \\(EMULATOR_PORT\\): EADDRINUSE`))
    } finally {
      taken.close()
    }
  })

  it('serves the demo and the API offline, then on SIGTERM finishes the request in flight and exits 0', async () => {
    const databasePath = join(folder, 'emulator-mode', 'store.sqlite')
    const server = start({PORT: '0', EMULATOR_PORT: '0', DATABASE_PATH: databasePath})
    try {
      const deadline = Date.now() + 15_000
      let demo: string | undefined
      while (!(demo = server.output().match(/Demo:\s+(http:\/\/localhost:\d+)\//)?.[1]) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      assert.ok(demo, `no banner in: ${server.output()}`)
      assert.match(server.output(), /emulator mode/)
      assert.match(server.output(), new RegExp(`Public URL:\\s+${demo} \\(default`))
      assert.match(server.output(), /Dashboard:\s+http:\/\/localhost:\d+\/dashboard/)

      // The guide's own check: the page hands out the visitor cookie, the cookie opens the endpoint.
      const page = await fetch(`${demo}/`)
      assert.equal(page.status, 200)
      const cookie = page.headers.get('set-cookie') ?? ''
      assert.match(cookie, /HttpOnly/i)
      assert.match(cookie, /SameSite=Lax/i)
      const jar = cookie.split(';')[0]!
      const anonymous = await fetch(`${demo}/create-verification-session`, {method: 'POST', body: ''})
      assert.equal(anonymous.status, 401)
      // A new visitor, with or without the cookie yet, has nothing to show: no error status.
      for (const headers of [{}, {cookie: jar}] as Record<string, string>[]) {
        const nothing: Response = await fetch(`${demo}/verification-session`, {headers})
        assert.equal(nothing.status, 204)
        assert.equal(await nothing.text(), '')
      }
      const forged = await fetch(`${demo}/create-verification-session`, {method: 'POST', headers: {cookie: jar.replace(/=.*$/, '=v_AAAAAAAAAAAAAAAAAAAAAA.c2lnbmF0dXJl')}})
      assert.equal(forged.status, 401)
      const created = await fetch(`${demo}/create-verification-session`, {
        method: 'POST',
        headers: {cookie: jar, 'content-type': 'application/x-www-form-urlencoded'},
        body: '',
      })
      assert.equal(created.status, 200)
      const {client_secret: clientSecret, stripe_js: stripeJs} = (await created.json()) as {client_secret: string; stripe_js: string}
      assert.match(clientSecret, /^vs_\w+_secret_\w+$/)
      // Where the browser loads the emulator's Stripe.js double, by the name the banner's dashboard uses.
      assert.match(stripeJs, /^http:\/\/localhost:\d+\/stripe\.js$/)
      assert.equal((await fetch(stripeJs)).status, 200)

      const status = await fetch(`${demo}/verification-session`, {headers: {cookie: jar}})
      assert.equal(status.status, 200)
      assert.equal(((await status.json()) as {status: string}).status, 'requires_input')

      // What a platform's health check asks: answered, and not written to the log each time.
      const health = await fetch(`${demo}/healthz`)
      assert.equal(health.status, 200)
      assert.deepEqual(await health.json(), {ok: true})
      assert.doesNotMatch(server.output(), /"path":"\/healthz"/)

      const bundle = await fetch(`${demo}/identity-verify.js`)
      if (bundle.status === 404) assert.match(await bundle.text(), /npm run build/)
      else assert.match(bundle.headers.get('content-type') ?? '', /javascript/)

      // A request still arriving when SIGTERM comes is answered before the process exits; meanwhile it
      // takes no new request: a load balancer's next one goes to another instance.
      const stop = await stopDuringRequest(server, demo)
      assert.equal(stop.runningMeanwhile, true, 'still finishing the request')
      assert.equal(stop.newRequest, 'ECONNREFUSED')
      assert.equal(stop.inFlightStatus, 400)
      assert.equal(stop.exitCode, 0)
      assert.match(server.output(), /"msg":"stopped"/)
      assert.ok(existsSync(databasePath))
      assert.ok(!existsSync(`${databasePath}-wal`), 'the store was closed (its WAL checkpointed away)')
      assert.ok(!server.output().includes(clientSecret), 'the client secret is not in the output')
      assert.doesNotMatch(server.output(), /_secret_[A-Za-z0-9]|whsec_[A-Za-z0-9]|sk_(test|live)_[A-Za-z0-9]/)
    } finally {
      await server.stop(0)
    }
  })
})
