/**
 * Packs what the runtimes without a disk to read (Workers), or with another API to read it (Bun,
 * Deno), serve from memory: the element's build (`dist/**.js`) into `runtimes/widget-build.js`, and
 * the demo's pages' files and the repository's address into `runtimes/demo-build.js`, read as
 * `npm start` reads them. Run before each runtime's start and deploy; without a build it packs no
 * element file and the script answers 404 `not_built`.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {readDemoBuild} from '../demo/read-build.js'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
let names: string[] = []
try {
  names = readdirSync(dist, {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith('.js'))
    .map((name) => name.replaceAll('\\', '/'))
} catch {
  // not built
}
const files = Object.fromEntries(names.sort().map((name) => [name, readFileSync(new URL(name, `file://${dist}`), 'utf8')]))
const header = '// Written by runtimes/pack-widget.ts: do not edit.\n'
writeFileSync(new URL('./widget-build.js', import.meta.url), `${header}export const WIDGET_FILES = ${JSON.stringify(files)}\n`)
writeFileSync(new URL('./demo-build.js', import.meta.url), `${header}export const DEMO_BUILD = ${JSON.stringify(readDemoBuild())}\n`)
