/**
 * The verification server on each runtime it runs on, as its own process: Node (`npm start`),
 * Cloudflare Workers (workerd through `wrangler dev`), Bun and Deno, all with a deployment's shared
 * PostgreSQL and emulator. Shared by the runtime tests and the benchmarks.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {deploymentEnv, startInstance, type Deployment, type FileDeployment, type ListeningProgram} from './instances.js'
import {freePort, ROOT, startServerProcess} from './server-process.js'

export const RUNTIMES = ['node', 'workers', 'bun', 'deno'] as const
export type Runtime = (typeof RUNTIMES)[number]

/** A tool of the runtimes, installed apart from the repository's (runtimes/package.json). */
export const runtimeBin = (name: string) => join(ROOT, 'runtimes', 'node_modules', '.bin', name)

/** Runs the TypeScript program `entry` on Bun or Deno (with the permissions of `npm run start:deno`: network, environment, files). */
export function scriptCommand(runtime: 'bun' | 'deno', entry: string): string[] {
  if (runtime === 'bun') return [runtimeBin('bun'), entry]
  return [runtimeBin('deno'), 'run', '--sloppy-imports', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--allow-sys', entry]
}

/** What `npm run start:<runtime>` runs after packing the element's files, listening on `port`. */
export function runtimeCommand(runtime: Exclude<Runtime, 'node'>, port: number): string[] {
  switch (runtime) {
    case 'bun':
    case 'deno':
      return scriptCommand(runtime, `runtimes/${runtime}.ts`)
    case 'workers':
      return [runtimeBin('wrangler'), 'dev', '-c', 'wrangler.jsonc', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false']
  }
}

/** For `wrangler dev`: the process's variables become the Worker's, and nothing is sent to Cloudflare. */
export const WRANGLER_ENV = {CLOUDFLARE_INCLUDE_PROCESS_ENV: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1'} as const

/** Installs the runtimes' tools when they are missing or older than their lock (`npm run runtimes:install`). */
export function installRuntimeTools(): void {
  execFileSync(process.execPath, ['runtimes/install-tools.mjs'], {cwd: ROOT, stdio: 'inherit'})
}

let packed = false
/**
 * Installs the runtimes' tools when they are missing (`npm run runtimes:install`) and packs `dist/` into
 * `runtimes/widget-build.js` and the pages' files into `runtimes/demo-build.js`, once per process
 * (`npm run build` first).
 */
export function packWidget(): void {
  if (packed) return
  installRuntimeTools()
  execFileSync(process.execPath, ['--import', 'tsx', 'runtimes/pack-widget.ts'], {cwd: ROOT, stdio: 'inherit'})
  packed = true
}

/**
 * The server on `runtime` with the deployment's database (PostgreSQL, or with a `FileDeployment` no
 * `DATABASE_URL` and that `DATABASE_PATH`; for Workers, whose state is then in Durable Objects, the
 * folder where wrangler dev keeps them, see `objectDatabases`) and emulator, on `port` or a free one.
 */
export async function startRuntimeInstance(runtime: Runtime, deployment: Deployment | FileDeployment, port?: number): Promise<ListeningProgram> {
  if (runtime === 'node') return startInstance(deployment, port)
  packWidget()
  const chosen = port ?? (await freePort())
  const url = `http://127.0.0.1:${chosen}`
  const persist = runtime === 'workers' && 'databasePath' in deployment ? ['--persist-to', deployment.databasePath] : []
  const program = await startServerProcess({
    entry: `runtimes/${runtime}.ts`,
    command: [...runtimeCommand(runtime, chosen), ...persist],
    env: {...deploymentEnv(deployment, chosen), ...WRANGLER_ENV},
    readyUrls: [`${url}/identity-verify.js`],
    timeoutMs: 90_000,
  })
  return Object.assign(program, {url, port: chosen})
}

/**
 * The SQLite files of the Worker's `VerificationObject`s (or `className`'s) under `persistTo`, one per
 * object: wrangler dev keeps each object's database at `v3/do/<worker>-<class>/<object id>.sqlite`.
 * Read them once wrangler stopped.
 */
export function objectDatabases(persistTo: string, className = 'VerificationObject'): string[] {
  const folder = join(persistTo, 'v3', 'do', `identity-verify-${className}`)
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .filter((file) => /^[0-9a-f]{64}\.sqlite$/.test(file))
    .map((file) => join(folder, file))
}

/** The rows `sql` answers in every object database under `persistTo`, together (see `objectDatabases`). */
export function queryObjects<R>(persistTo: string, sql: string, params: unknown[] = [], className?: string): R[] {
  return objectDatabases(persistTo, className).flatMap((path) => {
    const db = new Database(path, {readonly: true})
    try {
      // An object that never reached the statement's tables (a counter's, for sessions) has them all the same: one schema.
      return db.prepare(sql).all(...params) as R[]
    } finally {
      db.close()
    }
  })
}

/** Polls `read` until it returns something other than undefined, or fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
