/**
 * Brings the compiled programs up to date, doing only the work whose inputs changed:
 *
 * - `node tools/build.mjs lib`: lib/ (tsc, incremental, and only when a file of the compiled folders
 *   changed since the last compile) and the demo's browser files copied beside the compiled demo, which
 *   reads them from there.
 * - `node tools/build.mjs dist`: dist/ (rollup) when a source of the element, its build configuration
 *   or the installed packages are newer than the build (the other runtimes' scripts serve only that).
 * - `node tools/build.mjs current`: both. `npm start` runs it, so what it serves is never older than
 *   the sources.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, readdirSync, statSync, utimesSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

/** What the element's build (rollup.config.mjs) reads. */
const ELEMENT_INPUTS = ['widget', 'protocol', 'rollup.config.mjs', 'tsconfig.json', 'package-lock.json']
/**
 * What the compile of lib/ (tsconfig.build.json) reads: every folder its entries import from. Their
 * folders' own times count too, so a file removed is a change. (`tsc -b` alone would look only at the
 * entries tsconfig.build.json names, not at the modules they import.)
 */
const LIB_INPUTS = ['widget', 'protocol', 'server', 'site', 'standalone', 'emulator', 'demo', 'cli', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']
/** Written by each compile (incremental), and touched after it: the time lib/ was last brought up to date. */
const LIB_STAMP = 'lib/.tsbuildinfo'

/** The modification time of a file, or of the newest file or folder under a folder; 0 when it does not exist. */
function newest(path) {
  let stat
  try {
    stat = statSync(join(root, path))
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(join(root, path), {recursive: true, encoding: 'utf8'}).map((file) => statSync(join(root, path, file)).mtimeMs))
}

function run(command, args) {
  const {status} = spawnSync(command, args, {cwd: root, stdio: 'inherit'})
  if (status !== 0) process.exit(status ?? 1)
}

/** The demo's stylesheets and browser scripts: the compiled pages import one, the demo routes read them all. */
function copyDemoAssets() {
  const from = join(root, 'demo/assets')
  const to = join(root, 'lib/demo/assets')
  mkdirSync(to, {recursive: true})
  for (const file of readdirSync(from)) {
    if (!/\.(js|css)$/.test(file)) continue
    if (newest(join('lib/demo/assets', file)) >= newest(join('demo/assets', file))) continue
    copyFileSync(join(from, file), join(to, file))
  }
}

const [target] = process.argv.slice(2)
if (target !== 'dist' && target !== 'lib' && target !== 'current') {
  process.stderr.write('usage: node tools/build.mjs dist|lib|current\n')
  process.exit(1)
}
if (target !== 'lib' && newest('dist/identity-verify.js') < Math.max(...ELEMENT_INPUTS.map(newest))) run(bin('rollup'), ['-c', '--silent'])
if (target !== 'dist') {
  const started = new Date()
  if (newest(LIB_STAMP) < Math.max(...LIB_INPUTS.map(newest))) {
    run(bin('tsc'), ['-p', 'tsconfig.build.json'])
    // An incremental compile that found nothing to write leaves the stamp as it was.
    utimesSync(join(root, LIB_STAMP), started, started)
  }
  copyDemoAssets()
}
