// Runs the Node test files (`*.test.ts`) found in the folders and files given, one file at a time:
// `node harness/run-tests.mjs test/server test/emulator`. Node 20's test runner takes no glob.
import {spawnSync} from 'node:child_process'
import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'

const places = process.argv.slice(2)
if (places.length === 0) {
  process.stderr.write('usage: node harness/run-tests.mjs <folder or file>…\n')
  process.exit(2)
}
const files = places.flatMap((place) =>
  statSync(place).isDirectory()
    ? readdirSync(place, {recursive: true, encoding: 'utf8'})
        .filter((name) => name.endsWith('.test.ts') && !name.split(/[\\/]/).includes('node_modules'))
        .map((name) => join(place, name))
        .sort()
    : [place],
)
if (files.length === 0) {
  process.stderr.write(`no test files in ${places.join(', ')}\n`)
  process.exit(1)
}
const {status, signal} = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {stdio: 'inherit'})
process.exit(status ?? (signal ? 1 : 0))
