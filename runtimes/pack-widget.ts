/**
 * Packs the element's build (`dist/**.js`) into `runtimes/widget-build.js`, a module the runtimes
 * without a disk to read (Workers) or with another API to read it (Bun, Deno) import. Run before each
 * runtime's start and deploy; without a build it packs nothing and the script answers 404 `not_built`.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

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
const out = new URL('./widget-build.js', import.meta.url)
writeFileSync(out, `// Written by runtimes/pack-widget.ts from dist/: do not edit.\nexport const WIDGET_FILES = ${JSON.stringify(files)}\n`)
