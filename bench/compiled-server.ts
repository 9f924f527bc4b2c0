/** The compiled server (lib/) that the webhook load runs against, brought up to date first. */
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'

/** Compiles lib/ when a source changed since its last compile (tools/build.mjs, as `npm start` does). */
export function ensureCompiledServer(root: string, log: (message: string) => void): void {
  log('bringing lib/ up to date (node tools/build.mjs lib)')
  const build = spawnSync(process.execPath, [join(root, 'tools/build.mjs'), 'lib'], {cwd: root, stdio: ['ignore', 'inherit', 'inherit']})
  if (build.status !== 0) throw new Error('node tools/build.mjs lib failed')
}
