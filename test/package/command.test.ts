// The package's command, as a site runs it: the packed tarball and the server's packages the README
// lists, installed with --omit=dev in an empty project, then `npx identity-verify start|emulator`.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {freePort, removeScratchDir, scratchDir, startServerProcess, type ProgramProcess} from '../../harness/server-process.js'
import {childNpmEnv, INSTALL, installedPackages, installServerPeers, npm, packedTarball, root, SERVER_PEERS} from './packed-package.js'

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string; peerDependencies: Record<string, string>}

/** The environment of a shell with nothing of this repository's npm run nor of a Stripe account in it. */
function siteEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {...childNpmEnv(), NO_COLOR: '1', ...extra}
  for (const name of Object.keys(env)) if (/^(STRIPE_|DATABASE_|EMULATOR_|PUBLIC_URL|ALLOWED_ORIGINS|WEBHOOK_URL|VISITOR_SECRET)/.test(name)) delete env[name]
  return {...env, ...extra}
}

describe('npx identity-verify, installed with the server packages and --omit=dev', () => {
  let scratch: string
  let site: string
  const run = (command: readonly string[]) => spawnSync(command[0]!, command.slice(1), {cwd: site, env: siteEnv() as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000})
  const npx = (args: readonly string[]) => run(['npx', '--no', 'identity-verify', ...args])
  // npx answers --help and --version itself: those go to the installed command.
  const command = (args: readonly string[]) => run([join(site, 'node_modules/.bin/identity-verify'), ...args])

  before(() => {
    scratch = scratchDir('identity-verify-command-')
    site = join(scratch, 'site')
    mkdirSync(site)
    writeFileSync(join(site, 'package.json'), JSON.stringify({name: 'site', private: true, type: 'module'}))
    npm(['install', packedTarball(), '--omit=dev', ...INSTALL], site)
    installServerPeers(site, SERVER_PEERS, ['--omit=dev'])
  })
  after(() => removeScratchDir(scratch))

  it("brings none of the repository's development tools or other runtimes", () => {
    const installed = new Set(installedPackages(join(site, 'node_modules')))
    const tools = ['tsx', 'typescript', 'rollup', 'bun', 'deno', 'workerd', 'wrangler', 'esbuild'].filter((name) => installed.has(name))
    assert.deepEqual(tools, [])
    assert.ok(installed.has('identity-verify') && installed.has('hono'))
  })

  it('prints its usage for --help and help, and its version for --version, and refuses an unknown command', () => {
    for (const help of [command(['--help']), npx(['help'])]) {
      assert.equal(help.status, 0, help.stderr)
      for (const text of ['start', 'emulator', 'STRIPE_SECRET_KEY', 'EMULATOR_PORT', 'README.md']) assert.ok(help.stdout.includes(text), `the usage names ${text}`)
    }
    const version = command(['--version'])
    assert.equal(version.stdout, `${manifest.version}\n`)
    const unknown = npx(['serve'])
    assert.equal(unknown.status, 1)
    assert.match(unknown.stderr, /unknown command 'serve'/)
  })

  describe('start, offline in emulator mode', () => {
    let program: ProgramProcess
    let base: string
    before(async () => {
      const [port, emulatorPort] = [await freePort(), await freePort()]
      base = `http://127.0.0.1:${port}`
      program = await startServerProcess({
        entry: 'identity-verify start',
        command: ['npx', '--no', 'identity-verify', 'start'],
        cwd: site,
        inheritEnv: false,
        env: siteEnv({PORT: String(port), EMULATOR_PORT: String(emulatorPort), DATABASE_PATH: join(scratch, 'data/site.sqlite')}),
        readyUrls: [`${base}/`],
        timeoutMs: 60_000,
      })
    })
    after(() => program?.stop())

    it('serves the demo, the embed page, the health check and the script', async () => {
      for (const path of ['/', '/embed', '/healthz', '/identity-verify.js']) {
        const response = await fetch(`${base}${path}`)
        assert.equal(response.status, 200, `${path}: ${program.output(20)}`)
        await response.arrayBuffer()
      }
      const script = /Script: +http:\/\/localhost:\d+(\/v\/[0-9a-f]{12}\/identity-verify\.js)/.exec(program.output())?.[1]
      assert.ok(script, `the banner names the versioned script: ${program.output(20)}`)
      const versioned = await fetch(`${base}${script}`)
      assert.equal(versioned.status, 200)
      assert.equal(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable')
      assert.match(program.output(), /emulator mode/)
    })
  })

  it("emulator answers Stripe's API", async () => {
    const port = await freePort()
    const program = await startServerProcess({
      entry: 'identity-verify emulator',
      command: ['npx', '--no', 'identity-verify', 'emulator'],
      cwd: site,
      inheritEnv: false,
      env: siteEnv({EMULATOR_PORT: String(port)}),
      readyUrls: [`http://127.0.0.1:${port}/stripe.js`],
      timeoutMs: 60_000,
    })
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v1/identity/verification_sessions`, {headers: {authorization: 'Bearer sk_test_x'}})
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), {object: 'list', data: [], has_more: false, url: '/v1/identity/verification_sessions'})
    } finally {
      await program.stop()
    }
  })

  it('names the missing packages and the command that installs them, in one line and without a stack trace', () => {
    const installed = (name: string) => join(site, 'node_modules', name)
    const away = (name: string) => join(scratch, `${name}.away`)
    for (const name of ['hono', 'better-sqlite3']) renameSync(installed(name), away(name))
    try {
      const start = npx(['start'])
      assert.equal(start.status, 1)
      const expected = `identity-verify: cannot start: hono and better-sqlite3 are not installed; install with: npm install hono@${manifest.peerDependencies.hono} better-sqlite3@${manifest.peerDependencies['better-sqlite3']}\n`
      assert.equal(start.stderr, expected)
      const emulator = npx(['emulator'])
      assert.equal(emulator.status, 1)
      assert.equal(emulator.stderr, `identity-verify: cannot start the emulator: hono is not installed; install with: npm install hono@${manifest.peerDependencies.hono}\n`)
    } finally {
      for (const name of ['hono', 'better-sqlite3']) renameSync(away(name), installed(name))
    }
  })
})
