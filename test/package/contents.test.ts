// What `npm install identity-verify` downloads: the files of the published tarball and its weight.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, join} from 'node:path'
import {before, describe, it} from 'node:test'
import {pack, root, type PackedPackage} from './packed-package.js'

/**
 * The most the gzipped tarball may weigh. It was 76,621 bytes (96 files) when first bounded at 100 KiB,
 * 109,786 bytes (123 files) when raised to 120 KiB, with the PostgreSQL store, the webhook event
 * schema, the store's threads and the hosted-page flow added, 127,548 bytes (129 files) when raised
 * to 128 KiB, with the SQLite store's inbox added, and 133,429 bytes (163 files) when raised to this,
 * with the server cut into a module per part, the migrations as files, the configured origin and the
 * input bounds added, and the inbox removed. It was raised to 180 KiB at 170,061 bytes (218 files) when
 * the package came to run by itself (`identity-verify start|emulator`): the compiled standalone
 * server, emulator, demo pages and site (about 46 KB gzipped of JavaScript, shipped without their
 * declarations) joined the library, while the README became a short front door with its guides in
 * docs/, which the tarball leaves out. It was raised to 200 KiB at 188,426 bytes (228 files) with
 * React's component (`lib/frameworks/react.js`), the emulator's sessions rendered as Stripe's
 * (expansion, API versions), `/embed`'s preview and setup check, and the element's prefetch chunk.
 */
const MAX_PACKED_BYTES = 200 * 1024

type ExportTarget = string | {types: string; import: string}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  module: string
  types: string
  customElements: string
  bin: Record<string, string>
  exports: Record<string, ExportTarget>
}

/** Every file under a folder of the repository, by its path from the root. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), {recursive: true, encoding: 'utf8'})
    .map((file) => `${folder}/${file}`)
    .filter((file) => statSync(join(root, file)).isFile())
}

describe('the published tarball', () => {
  let packed: PackedPackage
  let paths: Set<string>
  before(() => {
    packed = pack()
    paths = new Set(packed.files.map((file) => file.path))
  })

  it('holds the script-tag build: every file the build wrote to dist/, a module per language among them', () => {
    const built = filesUnder('dist')
    assert.ok(built.includes('dist/identity-verify.js'), 'the build wrote no dist/identity-verify.js')
    const languages = readdirSync(join(root, 'widget/locales')).map((file) => `dist/locales/${basename(file, '.ts')}.js`)
    assert.ok(languages.length > 0)
    for (const file of [...built, ...languages]) assert.ok(paths.has(file), `${file} is not in the tarball`)
  })

  it('holds the npm build with its types, the elements manifest, the license, the README and package.json', () => {
    const expected = [
      'lib/widget/index.js',
      'lib/widget/index.d.ts',
      'lib/server/index.js',
      'lib/server/index.d.ts',
      'custom-elements.json',
      'LICENSE',
      'README.md',
      'package.json',
    ]
    for (const file of expected) assert.ok(paths.has(file), `${file} is not in the tarball`)
  })

  it('has every file that package.json names', () => {
    const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.import]))
    for (const file of [...targets, ...Object.values(manifest.bin), manifest.main, manifest.module, manifest.types, manifest.customElements]) {
      const path = file.replace(/^\.\//, '')
      assert.ok(paths.has(path), `package.json names ${file}, which is not in the tarball`)
    }
  })

  it('names its command by a plain path, which npm publish keeps (it drops a "./…" bin as invalid)', () => {
    for (const [name, file] of Object.entries(manifest.bin)) {
      assert.doesNotMatch(file, /^\.\//, `bin ${name}: ${file}`)
      assert.ok(readFileSync(join(root, file), 'utf8').startsWith('#!/usr/bin/env node\n'), `${file} starts with a node shebang`)
    }
  })

  it('leaves out the sources, the tests, the tools, the examples and the build records', () => {
    // lib/ holds the compiled programs too (the command, the standalone server, the emulator, the demo
    // and the site), never their tests, the bench, the harness or the examples.
    const unwanted =
      /^(test|bench|demo|emulator|standalone|cli|site|tools|runtimes|harness|examples|docs|widget|server|protocol)\/|^lib\/(test|bench|harness|examples|runtimes|tools)\/|(^|\/)node_modules\/|\.sqlite|\.tsbuildinfo$/
    assert.deepEqual(
      [...paths].filter((path) => unwanted.test(path)),
      [],
    )
    assert.deepEqual(
      [...paths].filter((path) => /\.[mc]?tsx?$/.test(path) && !/\.d\.[mc]?ts$/.test(path)),
      [],
    )
  })

  it('publishes no compiled module whose source is gone', () => {
    // tsc never deletes from lib/, so a module removed or renamed in the sources stays there. The demo's
    // browser scripts are copied as they are.
    const orphans = [...paths]
      .filter((path) => path.startsWith('lib/') && path.endsWith('.js'))
      .map((path) => path.slice('lib/'.length))
      .filter((path) => !existsSync(join(root, path.replace(/\.js$/, '.ts'))) && !(path.startsWith('demo/assets/') && existsSync(join(root, path))))
    assert.deepEqual(orphans, [])
    assert.ok(paths.has('lib/cli/identity-verify.js') && paths.has('lib/demo/assets/embed-snippet.js'), 'the command and the demo are in the tarball')
  })

  it(`weighs under ${MAX_PACKED_BYTES.toLocaleString('en-US')} bytes gzipped`, () => {
    assert.ok(packed.size < MAX_PACKED_BYTES, `the tarball is ${packed.size} bytes (${packed.entryCount} files)`)
  })
})
