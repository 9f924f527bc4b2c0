// A site's project with the packed tarball installed from scratch: the element alone brings no server
// or native package, nor React; `identity-verify/server` names what it lacks, and with the server's
// packages installed beside it serves the whole loop against the emulator; with React beside it,
// `identity-verify/react` renders on a server without a DOM.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {after, before, describe, it} from 'node:test'
import type {ServerType} from '@hono/node-server'
import {startEmulator, type RunningEmulator} from '../../emulator/index.js'
import {sessionIdOf, type CreateSessionAnswer, type SessionStatusAnswer} from '../../protocol/wire.js'
import {silentLogger as emulatorLogger} from '../../server/log/logger.js'
import {INSTALL, installedPackages, installServerPeers, npm, packedTarball, root, SERVER_PEERS} from './packed-package.js'

/** The packages `identity-verify/server` imports, which the element's install must not bring. */
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, {optional?: boolean}>
}
const SERVER_PACKAGES = [...SERVER_PEERS, 'pg']
/** What `identity-verify/react` imports besides the element: React itself, which the site has. */
const REACT_PACKAGES = ['react']
const OPTIONAL_PEERS = [...SERVER_PACKAGES, ...REACT_PACKAGES]

/** What `node` prints when it runs `code` as an ES module in `cwd`. */
function runModule(code: string, cwd: string): {status: number | null; stdout: string; stderr: string} {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {cwd, encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}})
  return {status: run.status, stdout: run.stdout, stderr: run.stderr}
}

describe('the tarball installed in an empty project', () => {
  let scratch: string
  let site: string

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'identity-verify-package-'))
    site = join(scratch, 'site')
    mkdirSync(site)
    writeFileSync(join(site, 'package.json'), JSON.stringify({name: 'site', private: true, type: 'module'}))
    npm(['install', packedTarball(), ...INSTALL], site)
  })
  after(() => rmSync(scratch, {recursive: true, force: true}))

  it('declares the server packages and React as optional peers and depends only on what the element needs', () => {
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['@stripe/stripe-js', 'lit'])
    assert.deepEqual(Object.keys(manifest.peerDependencies).sort(), [...OPTIONAL_PEERS].sort())
    for (const name of OPTIONAL_PEERS) assert.equal(manifest.peerDependenciesMeta[name]?.optional, true, `${name} is not an optional peer`)
  })

  it('brings the element and its dependencies, and no server package, React or native module', () => {
    const installed = installedPackages(join(site, 'node_modules'))
    for (const name of ['identity-verify', 'lit', '@stripe/stripe-js']) assert.ok(installed.includes(name), `${name} was not installed`)
    assert.deepEqual(
      installed.filter((name) => OPTIONAL_PEERS.includes(name) || name === 'react-dom'),
      [],
    )
    const native = readdirSync(join(site, 'node_modules'), {recursive: true, encoding: 'utf8'}).filter((path) => /(^|\/)binding\.gyp$|\.node$/.test(path))
    assert.deepEqual(native, [])
  })

  it("loads the element's module in Node, as a framework's server render imports it", () => {
    const {status, stderr} = runModule("const {IdentityVerifyElement} = await import('identity-verify'); if (typeof IdentityVerifyElement !== 'function') process.exit(2)", site)
    assert.equal(status, 0, stderr)
  })

  it('names the missing package when identity-verify/server is imported without the server packages', () => {
    const {status, stderr} = runModule("await import('identity-verify/server')", site)
    assert.notEqual(status, 0)
    assert.match(stderr, /ERR_MODULE_NOT_FOUND/)
    assert.match(stderr, /Cannot find package '(hono|@hono\/node-server|stripe|better-sqlite3|valibot)'/)
  })

  describe('with the server packages installed beside it', () => {
    let emulator: RunningEmulator
    let server: ServerType | undefined
    let closeStore: (() => unknown) | undefined

    before(() => installServerPeers(site, SERVER_PACKAGES))
    after(async () => {
      await closeStore?.()
      if (server) await new Promise((resolve) => server!.close(resolve))
      await emulator?.close()
    })

    it('serves create, the webhook and the status: a session submitted as verified shows verified', async () => {
      const webhookSecret = 'whsec_installed_package'
      emulator = await startEmulator({port: 0, webhookSecret, retryDelaysMs: [20, 100, 500], processingDelayMs: 50, logger: emulatorLogger})
      // Imported from a module in the site's folder, so that Node resolves identity-verify/server and its
      // packages from the site's node_modules, as for a site's own code.
      const entry = join(site, 'server.mjs')
      writeFileSync(entry, "export * from 'identity-verify/server'\nexport {serve} from '@hono/node-server'\n")
      const installed = (await import(pathToFileURL(entry).href)) as typeof import('../../server/index.js') & typeof import('@hono/node-server')
      const {createApp, createStripeClient, openSqliteStore, serve, silentLogger} = installed

      const store = openSqliteStore(join(scratch, 'site.sqlite'))
      closeStore = () => store.close()
      const app = createApp({
        stripe: createStripeClient({secretKey: 'sk_test_installed_package', emulatorUrl: emulator.url, maxNetworkRetries: 0}),
        webhookSecret,
        store,
        publicUrl: 'https://site.example',
        authenticate: (c) => c.req.header('x-site-user') ?? null,
        logger: silentLogger,
      })
      const listening = serve({fetch: app.fetch, port: 0, hostname: '127.0.0.1'})
      server = listening
      await new Promise((resolve) => listening.once('listening', resolve))
      const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`
      emulator.setWebhookUrl(`${base}/webhook`)

      const created = await fetch(`${base}/create-verification-session`, {method: 'POST', headers: {'x-site-user': 'ada'}})
      assert.equal(created.status, 200)
      const sessionId = sessionIdOf(((await created.json()) as CreateSessionAnswer).client_secret)
      const submitted = await fetch(`${emulator.url}/emulator/verification_sessions/${sessionId}/submit`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({outcome: 'verified'}),
      })
      assert.ok(submitted.ok, `submit answered ${submitted.status}`)

      let shown: SessionStatusAnswer | null = null
      for (const deadline = Date.now() + 10_000; shown?.status !== 'verified' && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 25))
        const res = await fetch(`${base}/verification-session`, {headers: {'x-site-user': 'ada'}})
        shown = res.status === 200 ? ((await res.json()) as SessionStatusAnswer) : null
      }
      assert.deepEqual(shown, {id: sessionId, status: 'verified', last_error: null})
      assert.equal((await store.getSession(sessionId))?.status, 'verified')
    })

    it("serves the element's files from the installed package's dist/ under the path a site mounts them at", async () => {
      const entry = join(site, 'element.mjs')
      writeFileSync(entry, "export {serveElement} from 'identity-verify/server'\nexport {Hono} from 'hono'\n")
      const {serveElement, Hono} = (await import(pathToFileURL(entry).href)) as Pick<typeof import('../../server/index.js'), 'serveElement'> & typeof import('hono')
      const element = serveElement()
      const app = new Hono().route('/identity-verify', element)
      const script = await app.request('/identity-verify/identity-verify.js')
      assert.equal(script.status, 200)
      assert.equal(script.headers.get('access-control-allow-origin'), '*')
      assert.equal(script.headers.get('cross-origin-resource-policy'), 'cross-origin')
      assert.equal(script.headers.get('cache-control'), 'no-cache')
      assert.equal(await script.text(), readFileSync(join(site, 'node_modules/identity-verify/dist/identity-verify.js'), 'utf8'))
      const french = await app.request(`/identity-verify${element.scriptPath().replace('identity-verify.js', 'locales/fr.js')}`)
      assert.equal(french.status, 200)
      assert.equal(french.headers.get('cache-control'), 'public, max-age=31536000, immutable')
      assert.equal(french.headers.get('content-type'), 'text/javascript; charset=utf-8')
    })
  })

  describe('with React installed beside it', () => {
    before(() => npm(['install', `react@${manifest.peerDependencies.react}`, `react-dom@${manifest.peerDependencies.react}`, ...INSTALL], site))

    it('renders <IdentityVerify> to HTML in Node without a DOM: the attributes, not the listeners or object properties', () => {
      const render = `
        import {createElement} from 'react'
        import {renderToString} from 'react-dom/server'
        import {IdentityVerify} from 'identity-verify/react'
        if (typeof document !== 'undefined' || typeof window !== 'undefined') process.exit(3)
        const props = {
          publishableKey: 'pk_test_123', statusEndpoint: '/verification-session', returnUrl: '/done', credentials: 'include',
          lang: 'fr', disabled: true, analytics: false, className: 'verify', requestBody: {plan: 'pro'}, onStatus() {}, onError() {},
        }
        process.stdout.write(renderToString(createElement(IdentityVerify, props, 'Verify your identity')))`
      const {status, stdout, stderr} = runModule(render, site)
      assert.equal(status, 0, stderr)
      assert.equal(
        stdout,
        '<identity-verify publishable-key="pk_test_123" status-endpoint="/verification-session" return-url="/done" credentials="include" lang="fr" disabled="" class="verify">Verify your identity</identity-verify>',
      )
      assert.equal(stderr, '')
    })
  })
})
