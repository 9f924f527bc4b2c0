/** The compiled server (lib/) that the webhook load runs against, rebuilt when its sources are newer. */
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

/** The newest modification time of the `.ts` files under `folders`. */
function newestSource(root: string, folders: readonly string[]): number {
  return Math.max(
    ...folders.flatMap((folder) =>
      readdirSync(join(root, folder), {recursive: true, encoding: 'utf8'})
        .filter((file) => file.endsWith('.ts'))
        .map((file) => statSync(join(root, folder, file)).mtimeMs),
    ),
  )
}

/** Compiles lib/ (tsconfig.build.json) when lib/server/index.js is missing or older than a source of the server. */
export function ensureCompiledServer(root: string, log: (message: string) => void): void {
  const compiled = join(root, 'lib/server/index.js')
  if (existsSync(compiled) && statSync(compiled).mtimeMs >= newestSource(root, ['server', 'protocol'])) return
  log('lib/ is missing or older than server/, compiling it (tsc -p tsconfig.build.json)')
  const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (build.status !== 0) throw new Error('tsc -p tsconfig.build.json failed')
}
