/**
 * `npm run runtimes:install`: installs the runtimes' own tools (wrangler with workerd, Bun, Deno) into
 * runtimes/node_modules from runtimes/package-lock.json, as `npm run bench` installs bench/. They stay
 * out of the repository's devDependencies, so `npm ci` and `npm start` do without their 300 MB. An
 * install that is current (made after the lock last changed) is kept.
 */
import {spawnSync} from 'node:child_process'
import {statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const folder = dirname(fileURLToPath(import.meta.url))

const modified = (path) => statSync(path, {throwIfNoEntry: false})?.mtimeMs ?? 0

/** Installs the runtimes' tools unless the install npm recorded is newer than the lock. */
export function installRuntimeTools() {
  if (modified(join(folder, 'node_modules/.package-lock.json')) >= modified(join(folder, 'package-lock.json'))) return
  const {status} = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], {cwd: folder, stdio: 'inherit'})
  if (status !== 0) throw new Error(`npm ci in ${folder} failed (exit ${status})`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) installRuntimeTools()
