/**
 * The same server on each runtime it runs on (Node, Cloudflare Workers in workerd, Bun, Deno), each
 * its own process over one PostgreSQL server and an emulator of its own: a visitor verifies through
 * the routes and the signed webhook, a forged webhook is refused, and the element's script is
 * served to any site.
 */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import Stripe from 'stripe'
import {startEmulatorProgram, type Deployment, type ListeningProgram} from '../../harness/instances.js'
import {queryPostgres, startPostgres, type TestPostgres} from '../../harness/postgres.js'
import {RUNTIMES, WRANGLER_ENV, eventually, packWidget, runtimeCommand, startRuntimeInstance} from '../../harness/runtimes.js'
import {freePort, removeScratchDir, ROOT, scratchDir, spawnProgram, startServerProcess, stopDuringRequest} from '../../harness/server-process.js'
import {VISITOR_CREDENTIAL_HEADER} from '../../protocol/wire.js'
import {demoContentSecurityPolicy} from '../../demo/routes.js'
import {launchChromium} from '../../harness/chromium.mjs'
import {eventually as eventuallyTrue, newVisitor} from '../e2e/demo-suite.js'

let postgres: TestPostgres

before(async () => {
  postgres = await startPostgres()
})

after(() => postgres?.destroy())

for (const runtime of RUNTIMES) {
  describe(`the server on ${runtime}`, () => {
    const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
    let emulator: ListeningProgram
    let server: ListeningProgram
    let deployment: Deployment

    before(async () => {
      const databaseUrl = await postgres.createDatabase(`runtime_${runtime}`)
      const port = await freePort()
      emulator = await startEmulatorProgram({webhookSecret, webhookUrl: `http://127.0.0.1:${port}/webhook`})
      deployment = {databaseUrl, emulatorUrl: emulator.url, webhookSecret, visitorSecret: randomBytes(32).toString('hex'), poolSize: 4}
      server = await startRuntimeInstance(runtime, deployment, port)
    })

    after(async () => {
      await server?.stop()
      await emulator?.stop()
    })

    it('verifies a visitor: create through the route, the verified test case, the signed webhook recorded, the status route', async () => {
      // The page is the server's own; the visitor is new, so the create hands out their credential.
      const origin = server.url
      const created = await fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {Origin: origin}})
      assert.equal(created.status, 200, await created.clone().text())
      const {client_secret: clientSecret} = (await created.json()) as {client_secret: string}
      const credential = created.headers.get(VISITOR_CREDENTIAL_HEADER)
      assert.ok(credential, 'the create answers the visitor credential')
      const sessionId = clientSecret.split('_secret_')[0]!
      assert.match(sessionId, /^vs_/)

      const played = await fetch(`${emulator.url}/emulator/verification_sessions/${sessionId}/submit`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({outcome: 'verified', client_secret: clientSecret}),
      })
      assert.equal(played.status, 200, await played.clone().text())

      const recorded = await eventually(async () => {
        const rows = await queryPostgres<{id: string}>(
          deployment.databaseUrl,
          `SELECT id FROM identity_verify.events WHERE session_id = $1 AND type = 'identity.verification_session.verified'`,
          [sessionId],
        )
        return rows[0]
      }, 'the verified event in the database')
      assert.match(recorded.id, /^evt_/)

      const status = await fetch(`${server.url}/verification-session`, {headers: {Origin: origin, [VISITOR_CREDENTIAL_HEADER]: credential}})
      assert.equal(status.status, 200)
      assert.deepEqual(await status.json(), {id: sessionId, status: 'verified', last_error: null})
      // Another visitor (no credential) sees nothing of it: a new visitor, with nothing to show.
      const stranger = await fetch(`${server.url}/verification-session`, {headers: {Origin: origin}})
      assert.equal(stranger.status, 204)
    })

    it('refuses a forged webhook with 400', async () => {
      const payload = JSON.stringify({
        id: 'evt_forged',
        object: 'event',
        type: 'identity.verification_session.verified',
        created: Math.floor(Date.now() / 1000),
        data: {object: {id: 'vs_forged', object: 'identity.verification_session', status: 'verified', metadata: {user_id: 'v_x'}}},
      })
      const forged = Stripe.webhooks.generateTestHeaderString({payload, secret: `whsec_${randomBytes(24).toString('hex')}`})
      const answer = await fetch(`${server.url}/webhook`, {method: 'POST', headers: {'Content-Type': 'application/json', 'Stripe-Signature': forged}, body: payload})
      assert.equal(answer.status, 400)
      assert.equal(((await answer.json()) as {error: {code: string}}).error.code, 'invalid_signature')
      const rows = await queryPostgres(deployment.databaseUrl, `SELECT id FROM identity_verify.events WHERE id = 'evt_forged'`)
      assert.deepEqual(rows, [])
    })

    it('answers the setup check for one origin: its own PUBLIC_URL allowed, another site not', async () => {
      const check = async (origin: string) => (await fetch(`${server.url}/setup/origin?origin=${encodeURIComponent(origin)}`)).json()
      assert.deepEqual(
        [await check(`${server.url}/embed`), await check('https://shop.example')],
        [
          {origin: server.url, allowed: true},
          {origin: 'https://shop.example', allowed: false},
        ],
      )
    })

    it('serves the pages of npm start and their files, under the pages’ Content-Security-Policy, setting the visitor’s cookie', async () => {
      const policy = demoContentSecurityPolicy({stripeJsUrl: `${emulator.url}/stripe.js`})
      assert.match(policy, new RegExp(`script-src 'self' ${emulator.url}; `))
      for (const path of ['/', '/confirmation', '/embed']) {
        const page = await fetch(`${server.url}${path}`)
        assert.equal(page.status, 200, path)
        assert.equal(page.headers.get('content-type'), 'text/html; charset=UTF-8', path)
        assert.equal(page.headers.get('content-security-policy'), policy, path)
        assert.match(page.headers.get('set-cookie') ?? '', /^identity_verify_visitor=/, `${path} gives a new visitor their cookie`)
        assert.match(await page.text(), new RegExp(`<script src="${emulator.url}/stripe.js"></script>`), path)
      }
      const stylesheet = await fetch(`${server.url}/demo/demo.css`)
      assert.equal(stylesheet.status, 200)
      assert.equal(stylesheet.headers.get('content-type'), 'text/css; charset=utf-8')
      assert.match(await stylesheet.text(), /^\/\* Stallholder/)
    })

    it('writes /embed’s snippet for the server’s PUBLIC_URL, its versioned script and the emulator', async () => {
      const html = await (await fetch(`${server.url}/embed`)).text()
      const snippet = /<code id="snippet-embed">([^]*?)<\/code>/.exec(html)?.[1] ?? ''
      // PUBLIC_URL is the address the tests reach the server at (harness/instances.ts), never the Host header.
      assert.match(snippet, new RegExp(`src=&quot;${server.url}/v/[0-9a-f]{12}/identity-verify.js&quot;`))
      assert.match(snippet, new RegExp(`endpoint=&quot;${server.url}/create-verification-session&quot;`))
      assert.match(snippet, new RegExp(`src=&quot;${emulator.url}/stripe.js&quot;`))
      const script = /src=&quot;([^&]+identity-verify\.js)&quot;/.exec(snippet)![1]!
      assert.equal((await fetch(script)).status, 200, 'the versioned script it names is served')
    })

    // The runtime a site owner with no server of their own deploys to ("Deploy to Cloudflare").
    if (runtime === 'workers') {
      it('runs /embed’s scripts in Chromium: the preview upgrades and starts a verification, the setup check answers', async () => {
        const browser = await launchChromium()
        const visitor = await newVisitor(browser)
        try {
          const {page} = visitor
          await page.goto(`${server.url}/embed`)
          // The preview is the element itself, upgraded from the script the page names, calling this server.
          await page.locator('#builder-preview').getByRole('button', {name: 'Verify my identity'}).click()
          await page.frameLocator('iframe').locator('button[data-outcome="verified"]').click()
          await eventuallyTrue('the preview to be submitted', () => visitor.events.some((event) => event.type === 'identity-verify-submitted' && event.path === '/embed'))

          const site = page.getByLabel('Your site’s address')
          const result = page.locator('#setup-result')
          await site.fill('shop.example')
          await page.getByRole('button', {name: 'Check my site'}).click()
          await eventuallyTrue('the refusal', async () => /does not accept pages of https:\/\/shop\.example/.test(await result.innerText()))
          await site.fill(`${server.url}/embed`)
          await site.press('Enter')
          await eventuallyTrue('the acceptance', async () => (await result.getAttribute('data-state')) === 'allowed')
          assert.deepEqual(visitor.cspViolations, [])
        } finally {
          await visitor.close()
          await browser.close()
        }
      })
    }

    it("serves the element's script to any site, with CORS, CORP and an ETag", async () => {
      const answer = await fetch(`${server.url}/identity-verify.js`, {headers: {Origin: 'https://shop.example'}})
      assert.equal(answer.status, 200)
      assert.equal(answer.headers.get('access-control-allow-origin'), '*')
      assert.equal(answer.headers.get('cross-origin-resource-policy'), 'cross-origin')
      assert.equal(answer.headers.get('content-type'), 'text/javascript; charset=utf-8')
      assert.match(await answer.text(), /identity-verify/)
      const etag = answer.headers.get('etag')
      assert.ok(etag)
      const again = await fetch(`${server.url}/identity-verify.js`, {headers: {'If-None-Match': etag}})
      assert.equal(again.status, 304)
    })

    it('answers the health check 200 while PostgreSQL answers, 503 while it refuses connections, and 200 again', async () => {
      const health = async () => {
        const res = await fetch(`${server.url}/healthz`)
        return `${res.status} ${await res.text()}`
      }
      assert.equal(await health(), '200 {"ok":true}')
      const database = new URL(deployment.databaseUrl).pathname.slice(1)
      const maintenance = Object.assign(new URL(deployment.databaseUrl), {pathname: '/postgres'}).href
      // The database takes no connection, and the ones open are cut, as when it restarts or fails over.
      await queryPostgres(maintenance, `ALTER DATABASE ${database} ALLOW_CONNECTIONS false`)
      try {
        await queryPostgres(maintenance, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}'`)
        assert.match(await health(), /^503 .*"code":"store_unavailable"/)
      } finally {
        await queryPostgres(maintenance, `ALTER DATABASE ${database} ALLOW_CONNECTIONS true`)
      }
      await eventually(async () => ((await health()).startsWith('200') ? true : undefined), 'the health check to answer 200 again')
    })

    // Workers' instances are stopped by the platform; Node's server is `npm start`'s (test/standalone/main.test.ts).
    if (runtime === 'bun' || runtime === 'deno') {
      it('on SIGTERM takes no new request, answers the one in flight, then exits 0', async () => {
        const stop = await stopDuringRequest(server, server.url)
        assert.equal(stop.runningMeanwhile, true, 'still finishing the request')
        // Refused (Bun), or turned away with 503 until the request in flight is answered (Deno, whose own stop would cut its body).
        assert.equal(stop.newRequest, runtime === 'bun' ? 'ECONNREFUSED' : 'answered 503')
        assert.equal(stop.inFlightStatus, 400, server.output(20))
        assert.equal(stop.exitCode, 0)
      })
    }
  })
}

describe('the runtimes started without DATABASE_URL', () => {
  const env = {DATABASE_URL: undefined, EMULATOR_URL: 'http://127.0.0.1:9', STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('hex')}`}

  for (const runtime of ['bun', 'deno'] as const) {
    it(`${runtime} stops at once, naming DATABASE_PATH, when its SQLite file is a folder`, async () => {
      packWidget()
      const folder = scratchDir('identity-verify-not-a-file-')
      try {
        const program = spawnProgram({entry: `runtimes/${runtime}.ts`, command: runtimeCommand(runtime, 0), env: {...env, DATABASE_PATH: folder, PORT: '0', NO_COLOR: '1'}})
        assert.equal(await program.exited, 1)
        assert.match(program.output(), /cannot start: cannot open the SQLite store at .* \(DATABASE_PATH\): .* is not a file/)
      } finally {
        removeScratchDir(folder)
      }
    })
  }

  it('a Worker deployed without its Durable Objects answers every request 500, naming them and DATABASE_URL', async () => {
    packWidget()
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    // wrangler.jsonc without its durable_objects and migrations, as a deploy that dropped them.
    const config = join(scratchDir('identity-verify-no-objects-'), 'wrangler.json')
    // Its comments are whole lines; JSON has no trailing commas.
    const text = readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/,(\s*[}\]])/g, '$1')
    const declared = JSON.parse(text) as Record<string, unknown>
    const {durable_objects: _objects, migrations: _migrations, ...rest} = declared
    writeFileSync(config, JSON.stringify({...rest, main: join(ROOT, 'runtimes', 'workers.ts')}))
    const worker = await startServerProcess({
      entry: 'runtimes/workers.ts',
      command: runtimeCommand('workers', port).map((part) => (part === 'wrangler.jsonc' ? config : part)),
      env: {...env, ...WRANGLER_ENV},
      readyUrls: [`${url}/`],
      timeoutMs: 90_000,
    })
    try {
      const answer = await fetch(`${url}/create-verification-session`, {method: 'POST', headers: {Origin: url}})
      assert.equal(answer.status, 500)
      const {error} = (await answer.json()) as {error: {message: string; code: string}}
      assert.equal(error.code, 'misconfigured')
      assert.match(error.message, /Durable Object bindings VERIFICATIONS and SUBMISSIONS are missing .* DATABASE_URL is not set/)
    } finally {
      await worker.stop()
    }
  })
})

describe('a runtime without VISITOR_SECRET', () => {
  it('signs visitors with a key derived from the webhook secret: a visitor is still known after a restart', async () => {
    const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
    const databaseUrl = await postgres.createDatabase('runtime_no_visitor_secret')
    const emulator = await startEmulatorProgram({webhookSecret, webhookUrl: 'http://127.0.0.1:9/webhook'})
    const deployment = {databaseUrl, emulatorUrl: emulator.url, webhookSecret, visitorSecret: ''}
    try {
      const first = await startRuntimeInstance('bun', deployment)
      const created = await fetch(`${first.url}/create-verification-session`, {method: 'POST', headers: {Origin: first.url}})
      assert.equal(created.status, 200)
      const credential = created.headers.get(VISITOR_CREDENTIAL_HEADER)!
      await first.stop()
      const second = await startRuntimeInstance('bun', deployment, first.port)
      try {
        const status = await fetch(`${second.url}/verification-session`, {headers: {Origin: second.url, [VISITOR_CREDENTIAL_HEADER]: credential}})
        assert.equal(status.status, 200)
        assert.equal(((await status.json()) as {status: string}).status, 'requires_input')
      } finally {
        await second.stop()
      }
    } finally {
      await emulator.stop()
    }
  })
})
