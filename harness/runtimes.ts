/**
 * The verification server on each runtime it runs on, as its own process: Node (`npm start`),
 * Cloudflare Workers (workerd through `wrangler dev`), Bun and Deno, all with a deployment's shared
 * PostgreSQL and emulator. Shared by the runtime tests and the benchmarks.
 */
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'
import {deploymentEnv, startInstance, type Deployment, type FileDeployment, type ListeningProgram} from './instances.js'
import {freePort, ROOT, startServerProcess} from './server-process.js'

export const RUNTIMES = ['node', 'workers', 'bun', 'deno'] as const
export type Runtime = (typeof RUNTIMES)[number]

/** The runtimes' own tools, installed apart from the repository's (runtimes/package.json). */
const bin = (name: string) => join(ROOT, 'runtimes', 'node_modules', '.bin', name)

/** Runs the TypeScript program `entry` on Bun or Deno (with the permissions of `npm run start:deno`: network, environment, files). */
export function scriptCommand(runtime: 'bun' | 'deno', entry: string): string[] {
  if (runtime === 'bun') return [bin('bun'), entry]
  return [bin('deno'), 'run', '--sloppy-imports', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--allow-sys', entry]
}

/** What `npm run start:<runtime>` runs after packing the element's files, listening on `port`. */
export function runtimeCommand(runtime: Exclude<Runtime, 'node'>, port: number): string[] {
  switch (runtime) {
    case 'bun':
    case 'deno':
      return scriptCommand(runtime, `runtimes/${runtime}.ts`)
    case 'workers':
      return [bin('wrangler'), 'dev', '-c', 'wrangler.jsonc', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false']
  }
}

/** For `wrangler dev`: the process's variables become the Worker's, and nothing is sent to Cloudflare. */
export const WRANGLER_ENV = {CLOUDFLARE_INCLUDE_PROCESS_ENV: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1'} as const

let packed = false
/**
 * Installs the runtimes' tools when they are missing (`npm run runtimes:install`) and packs `dist/` into
 * `runtimes/widget-build.js` and the pages' files into `runtimes/demo-build.js`, once per process
 * (`npm run build` first).
 */
export function packWidget(): void {
  if (packed) return
  execFileSync(process.execPath, ['runtimes/install-tools.mjs'], {cwd: ROOT, stdio: 'inherit'})
  execFileSync(process.execPath, ['--import', 'tsx', 'runtimes/pack-widget.ts'], {cwd: ROOT, stdio: 'inherit'})
  packed = true
}

/**
 * The server on `runtime` with the deployment's database (PostgreSQL, or with a `FileDeployment` no
 * `DATABASE_URL` and that `DATABASE_PATH`) and emulator, on `port` or a free one.
 */
export async function startRuntimeInstance(runtime: Runtime, deployment: Deployment | FileDeployment, port?: number): Promise<ListeningProgram> {
  if (runtime === 'node') return startInstance(deployment, port)
  packWidget()
  const chosen = port ?? (await freePort())
  const url = `http://127.0.0.1:${chosen}`
  const program = await startServerProcess({
    entry: `runtimes/${runtime}.ts`,
    command: runtimeCommand(runtime, chosen),
    env: {...deploymentEnv(deployment, chosen), ...WRANGLER_ENV},
    readyUrls: [`${url}/identity-verify.js`],
    timeoutMs: 90_000,
  })
  return Object.assign(program, {url, port: chosen})
}
