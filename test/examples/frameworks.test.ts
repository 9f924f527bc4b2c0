import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {cpSync, existsSync} from 'node:fs'
import {basename, join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {promisify} from 'node:util'
import {after, before, describe, it} from 'node:test'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {launchChromium} from '../../harness/chromium.mjs'
import {freePort, ROOT, scratchDir, spawnProgram, waitUntilAnswering, type ProgramProcess} from '../../harness/server-process.js'
import {startStandaloneServer, type StandaloneServer} from '../../harness/standalone-server.js'
import {startStaticSite, type StaticSite} from '../../harness/static-site.js'

// Each example in examples/ as its framework's users meet it: installed with npm from this package's
// tarball, type-checked and built by the framework's own toolchain, served from http://127.0.0.1:<port>
// (as static files, or by Next.js's own server), another site than npm start's server on
// http://localhost:<port>, and used in Chromium. Nothing on the pages names the emulator's Stripe.js
// double: the element loads it from where the server, in emulator mode, says with each client secret
// (js.stripe.com, which the element tries first on intent, is out of this machine's reach).

/** An app in examples/<name>. */
interface Example {
  readonly name: string
  /** `npm` arguments and environment that type-check and build it for the server at `serverUrl`. */
  build(serverUrl: string): {args: string[]; env?: Record<string, string>}
  /** The built site's folder, inside the example; none for an app that serves itself. */
  readonly output?: string
  /** Starts the built app, in the folder `copy`, on 127.0.0.1:`port`: an app with a server of its own. */
  serve?(copy: string, port: number): ProgramProcess
}

/** Vite reads the server's origin from the environment at build time; each Vite example's `build` type-checks first. */
const viteBuild = (serverUrl: string) => ({args: ['run', 'build'], env: {VITE_IDENTITY_VERIFY_SERVER: serverUrl}})

const EXAMPLES: readonly Example[] = [
  {name: 'react', build: viteBuild, output: 'dist'},
  {name: 'vue', build: viteBuild, output: 'dist'},
  {name: 'svelte', build: viteBuild, output: 'dist'},
  {
    name: 'angular',
    // angular.json defines the server's origin; `--define` replaces it, as a deployment would.
    build: (serverUrl) => ({args: ['run', 'build', '--', '--define', `IDENTITY_VERIFY_SERVER=${JSON.stringify(serverUrl)}`]}),
    output: 'dist/identity-verify-example/browser',
  },
  {
    name: 'next',
    // Next.js inlines NEXT_PUBLIC_* at build time, as Vite does VITE_*; its server renders the page.
    build: (serverUrl) => ({args: ['run', 'build'], env: {NEXT_PUBLIC_IDENTITY_VERIFY_SERVER: serverUrl, NEXT_TELEMETRY_DISABLED: '1'}}),
    serve: (copy, port) => next('start', copy, port),
  },
]

/** `next <command>` of the example copied to `copy`, listening on 127.0.0.1:`port`. */
function next(command: 'start' | 'dev', copy: string, port: number): ProgramProcess {
  return spawnProgram({
    entry: `next ${command}`,
    command: [process.execPath, join(copy, 'node_modules/next/dist/bin/next'), command, copy, '--port', String(port), '--hostname', '127.0.0.1'],
    env: {NEXT_TELEMETRY_DISABLED: '1'},
  })
}

/** How many examples install and build at once: on two cores, two at a time beat one and four. */
const CONCURRENT_BUILDS = 2

/** What an example's install and build took, in seconds. */
interface Prepared {
  readonly install: number
  readonly build: number
}

let folder: string
let server: StandaloneServer
let browser: Browser
const sites = new Map<string, StaticSite>()
const apps: ProgramProcess[] = []
const preparations = new Map<string, Promise<Prepared>>()
const timings: string[] = []

before(async () => {
  folder = scratchDir('identity-verify-examples-')
  // Each site serves its example's build folder, whatever is in it when asked, or is the port its app
  // will listen on once built: its origin is known, and allowed by the server, before the app is built.
  for (const example of EXAMPLES) sites.set(example.name, example.output ? await startStaticSite(join(folder, example.name, example.output)) : await reservedSite())
  // `next dev` of the Next.js example: React reports a hydration mismatch only in development.
  sites.set('next dev', await reservedSite())
  const allowedOrigins = [...sites.values()].map((site) => site.url).join(',')
  const started = performance.now()
  const [tarball] = await Promise.all([
    packed(),
    startStandaloneServer({databasePath: join(folder, 'store.sqlite'), env: {ALLOWED_ORIGINS: allowedOrigins}}).then((running) => (server = running)),
    launchChromium().then((launched) => (browser = launched)),
  ])
  timings.push(`pack, server and Chromium ${seconds(started)} s`)
  const limit = pool(CONCURRENT_BUILDS)
  for (const example of EXAMPLES) {
    const preparation = limit(() => prepare(example, tarball, server.url, sites.get(example.name)!))
    preparation.catch(() => {}) // reported by the example's own test
    preparations.set(example.name, preparation)
  }
})

after(async () => {
  await Promise.allSettled(preparations.values())
  await Promise.all(apps.map((app) => app.stop()))
  await browser?.close()
  await server?.stop()
  await Promise.all([...sites.values()].map((site) => site.close()))
  if (timings.length) console.log(`Examples, seconds per step: ${timings.join('; ')}`)
})

/** This package's tarball, as `npm publish` would upload it. */
async function packed(): Promise<string> {
  // `npm test` builds first; run alone, this file builds what the tarball holds.
  if (!existsSync(join(ROOT, 'dist/identity-verify.js')) || !existsSync(join(ROOT, 'lib/widget/index.js'))) await npm(ROOT, ['run', 'build'])
  // Without scripts: `prepare` would build again.
  const {stdout} = await npm(ROOT, ['pack', '--ignore-scripts', '--json', '--pack-destination', folder])
  const [{filename}] = JSON.parse(stdout) as [{filename: string}]
  return join(folder, basename(filename))
}

/** The origin an app with its own server will have: a port free now, on 127.0.0.1. */
async function reservedSite(): Promise<StaticSite> {
  return {url: `http://127.0.0.1:${await freePort()}`, close: async () => {}}
}

/** Copies the example without its installed or built files, installs the tarball and its own dependencies, builds it, and starts an app that serves itself. */
async function prepare(example: Example, tarball: string, serverUrl: string, site: StaticSite): Promise<Prepared> {
  const copy = join(folder, example.name)
  cpSync(join(ROOT, 'examples', example.name), copy, {recursive: true, filter: (path) => !['node_modules', 'dist', '.angular', '.next'].includes(basename(path))})
  let started = performance.now()
  await npm(copy, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'])
  const install = seconds(started)
  started = performance.now()
  const {args, env} = example.build(serverUrl)
  await npm(copy, args, env)
  if (example.serve) {
    const app = example.serve(copy, Number(new URL(site.url).port))
    apps.push(app)
    await waitUntilAnswering(app, site.url, 60_000)
  }
  return {install, build: seconds(started)}
}

/** Runs npm in `cwd`, failing with everything it printed. */
async function npm(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{stdout: string}> {
  try {
    return await promisify(execFile)('npm', args, {cwd, env: {...process.env, ...env}, maxBuffer: 64 * 1024 * 1024})
  } catch (error) {
    const {stdout, stderr} = error as {stdout?: string; stderr?: string}
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {cause: error})
  }
}

/** Runs the given tasks at most `size` at a time. */
function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: (() => void)[] = []
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    running++
    try {
      return await task()
    } finally {
      running--
      waiting.shift()?.()
    }
  }
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10

/** A new visitor. */
async function newVisitor(): Promise<{context: BrowserContext; page: Page; pageErrors: string[]; consoleProblems: string[]}> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  // What the page's console says is wrong, React's hydration errors and any HTTP error answer among
  // them; not the browser's own line for js.stripe.com, out of this machine's reach, which the element
  // tries first on intent.
  const consoleProblems: string[] = []
  page.on('console', (message) => {
    if (!['error', 'warning'].includes(message.type())) return
    if (message.text().startsWith('Failed to load resource:') && message.location().url.startsWith('https://js.stripe.com/')) return
    consoleProblems.push(`${message.type()}: ${message.text()} (${message.location().url})`)
  })
  return {context, page, pageErrors, consoleProblems}
}

/** Picks a test case in the emulator's modal after a click on the element's button. */
async function verifyWith(page: Page, outcome: string): Promise<void> {
  await page.locator('identity-verify').getByRole('button').click()
  await page.frameLocator('iframe').locator(`button[data-outcome="${outcome}"]`).click()
}

describe('the framework examples, installed from the packed package', () => {
  for (const example of EXAMPLES) {
    it(`${example.name}: its own UI shows the error and then the verified status from the element's typed events`, async (t) => {
      const took = await preparations.get(example.name)!
      const site = sites.get(example.name)!
      const started = performance.now()
      const {context, page, pageErrors, consoleProblems} = await newVisitor()
      try {
        await page.goto(`${site.url}/`)
        await page.getByRole('heading', {name: 'Verify your identity'}).waitFor()
        await page.getByTestId('status').filter({hasText: 'Not verified yet'}).waitFor()

        await verifyWith(page, 'consent_declined')
        const alert = page.getByTestId('error')
        await alert.waitFor({timeout: 10_000})
        assert.equal(await alert.textContent(), await page.locator('identity-verify [part="message"]').textContent())

        await verifyWith(page, 'verified')
        await page.getByTestId('status').filter({hasText: 'Status: verified'}).waitFor({timeout: 20_000})
        assert.equal(await alert.count(), 0, 'the status listener cleared the error')
        assert.deepEqual(pageErrors, [])
        assert.deepEqual(consoleProblems, [])
      } finally {
        await context.close()
      }
      const timing = `install ${took.install} s, type-check and build ${took.build} s, browser ${seconds(started)} s`
      timings.push(`${example.name}: ${timing}`)
      t.diagnostic(timing)
    })
  }

  for (const name of ['react', 'next']) {
    it(`${name}: with ?lang=fr the element’s own texts are French, its label and its message after a cancel`, async () => {
      await preparations.get(name)
      const site = sites.get(name)!
      const {context, page, pageErrors} = await newVisitor()
      try {
        await page.goto(`${site.url}/?lang=fr`)
        const element = page.locator('identity-verify')
        await element.getByRole('button', {name: 'Vérifier votre identité'}).waitFor()
        await verifyWith(page, 'close')
        await element.locator('[part="message"]', {hasText: 'Vérification annulée'}).waitFor({timeout: 10_000})
        assert.deepEqual(pageErrors, [])
      } finally {
        await context.close()
      }
    })
  }

  it('next: the server renders the element with its attributes, and a returning visitor sees Status: verified once the page has hydrated, with nothing wrong in the console', async () => {
    await preparations.get('next')
    const site = sites.get('next')!
    const html = await (await fetch(`${site.url}/?lang=fr`)).text()
    const rendered = /<identity-verify [^>]*>/.exec(html)?.[0]
    assert.equal(
      rendered,
      `<identity-verify publishable-key="pk_test_emulator" endpoint="${server.url}/create-verification-session" status-endpoint="${server.url}/verification-session" lang="fr">`,
    )

    const {context, page, pageErrors, consoleProblems} = await newVisitor()
    try {
      await page.goto(`${site.url}/`)
      await verifyWith(page, 'verified')
      await page.getByTestId('status').filter({hasText: 'Status: verified'}).waitFor({timeout: 20_000})
      // Back on the page, the status the element asks on connect reaches the app's handler.
      await page.reload()
      await page.getByTestId('status').filter({hasText: 'Status: verified'}).waitFor({timeout: 10_000})
      assert.equal(await page.locator('identity-verify').getAttribute('state'), 'verified')
      assert.deepEqual(pageErrors, [])
      assert.deepEqual(consoleProblems, [])
    } finally {
      await context.close()
    }
  })

  it('next: in development, React hydrates the server-rendered element without a warning', async () => {
    await preparations.get('next')
    const site = sites.get('next dev')!
    const dev = next('dev', join(folder, 'next'), Number(new URL(site.url).port))
    apps.push(dev)
    await waitUntilAnswering(dev, site.url, 120_000)
    const {context, page, pageErrors, consoleProblems} = await newVisitor()
    try {
      await page.goto(`${site.url}/`)
      // Hydrated: React has claimed the server's element, and the browser has had time to finish the work.
      await page.waitForFunction(() => Object.keys(document.querySelector('identity-verify') ?? {}).some((key) => key.startsWith('__reactFiber')), null, {timeout: 30_000})
      await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, {timeout: 2_000})))
      await page.locator('identity-verify[state="idle"]').getByRole('button').waitFor()
      assert.deepEqual(pageErrors, [])
      assert.deepEqual(
        consoleProblems.filter((text) => /hydrat/i.test(text)),
        [],
      )
    } finally {
      await context.close()
      await dev.stop()
    }
  })
})
