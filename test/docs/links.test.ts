import assert from 'node:assert/strict'
import {existsSync, statSync} from 'node:fs'
import {dirname, join, posix} from 'node:path'
import {describe, it} from 'node:test'
import {anchors, docPaths, readDoc, relativeLinks, root, section} from './markdown.js'

// The README is the front door and the package's page on npm; the guides in docs/ hold the rest.
// These tests keep the door short, its links and the guides' links pointing at what is there.
const README_MAX_LINES = 300

describe('the README and the guides', () => {
  it(`keep the README at ${README_MAX_LINES} lines at most`, () => {
    const lines = readDoc('README.md').replace(/\n$/, '').split('\n').length
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move the detail to a guide in docs/`)
  })

  it('link from the README to every guide in docs/', () => {
    const linked = new Set(relativeLinks(readDoc('README.md')).map((target) => target.split('#')[0]))
    const guides = docPaths().filter((path) => /^docs\/[^/]+\.md$/.test(path))
    assert.ok(guides.length >= 9, `only ${guides.length} guides in docs/`)
    for (const guide of guides) assert.ok(linked.has(guide), `README.md does not link to ${guide}`)
  })

  it('point every relative link at a file that exists, and every anchor at a heading of it', () => {
    const broken: string[] = []
    for (const path of docPaths()) {
      for (const target of relativeLinks(readDoc(path))) {
        const [file, anchor] = target.split('#') as [string, string | undefined]
        const resolved = file ? posix.normalize(posix.join(dirname(path), decodeURI(file))) : path
        if (resolved.startsWith('..') || !existsSync(join(root, resolved))) {
          broken.push(`${path}: ${target} (no file ${resolved})`)
          continue
        }
        if (anchor === undefined || !statSync(join(root, resolved)).isFile() || !resolved.endsWith('.md')) continue
        if (!anchors(readDoc(resolved)).has(anchor)) broken.push(`${path}: ${target} (no heading #${anchor} in ${resolved})`)
      }
    }
    assert.deepEqual(broken, [])
  })

  it('give the two commands of the quick start, on the port npm start listens on', () => {
    const tryIt = section('README.md', '## Try it')
    const commands = [...tryIt.matchAll(/```sh\n([^]*?)\n```/g)].map((m) => m[1])
    assert.deepEqual(commands, ['npm install && npm start', 'npm test'])
    const port = /readPort\(env, 'PORT', (\d+)\)/.exec(readDoc('site/config.ts'))?.[1]
    assert.ok(port, 'site/config.ts reads no PORT')
    assert.match(tryIt, new RegExp(`<http://localhost:${port}>`))
  })
})
