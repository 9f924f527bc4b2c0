// Every `npm install identity-verify …` line of the README and the guides installs what the package's
// command needs: each server package the package.json names as a peer (PostgreSQL's `pg` only where
// the line is for it), at the major version the package.json accepts.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {docPaths, readDoc, root} from './markdown.js'

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {peerDependencies: Record<string, string>}
/** What `identity-verify start` needs beside the package (test/package/command.test.ts installs the same). */
const SERVER_PACKAGES = ['hono', '@hono/node-server', 'stripe', 'better-sqlite3', 'valibot']

/** The install lines of a document that install the package with its server, e.g. `npm install identity-verify hono@4 …`. */
function serverInstallLines(path: string): string[] {
  return readDoc(path)
    .split('\n')
    .filter((line) => /npm install\b.*\bidentity-verify\s+\S/.test(line) && SERVER_PACKAGES.some((name) => line.includes(` ${name}@`)))
}

describe('the install lines of the README and the guides', () => {
  const lines = [...new Set(['README.md', ...docPaths()])].flatMap((path) => serverInstallLines(path).map((line) => ({path, line})))

  it('are there: the README and the deploy guide each give one', () => {
    assert.ok(lines.some(({path}) => path === 'README.md'))
    assert.ok(lines.some(({path}) => path.endsWith('deploy.md')))
  })

  for (const {path, line} of lines) {
    it(`${path}: ${line.trim().slice(0, 60)}… names each server package at the accepted major`, () => {
      for (const name of SERVER_PACKAGES) {
        const named = new RegExp(`\\s${name.replace('/', '\\/')}@(\\d+)\\b`).exec(line)
        assert.ok(named, `${name} is missing`)
        const accepted = /\^?(\d+)/.exec(manifest.peerDependencies[name]!)![1]
        assert.equal(named[1], accepted, `${name}@${named[1]}, where package.json accepts ${manifest.peerDependencies[name]}`)
      }
    })
  }
})
