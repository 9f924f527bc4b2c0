import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {DEFAULT_WEBHOOK_URL} from '../../emulator/index.js'
import {names, readDoc, root, tables} from './markdown.js'

// The guides are the element's and the server's reference; these tests keep their tables in step
// with custom-elements.json, which `npm run build` generates from the element's own JSDoc, and with
// the code that reads the environment, and their framework code with the example apps.
const manifestPath = join(root, 'custom-elements.json')
const source = (path: string) => readFileSync(join(root, path), 'utf8')

interface Named {
  name: string
  default?: string
}
interface Declaration {
  customElement?: boolean
  tagName?: string
  attributes?: Named[]
  events?: Partial<Named>[]
  slots?: Named[]
  cssParts?: Named[]
  cssProperties?: Named[]
}

function element(): Declaration {
  assert.ok(existsSync(manifestPath), 'custom-elements.json is missing: run `npm run build` first')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {modules: {declarations?: Declaration[]}[]}
  const found = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'identity-verify')
  assert.ok(found, 'custom-elements.json declares no <identity-verify>')
  return found
}

describe("the guides' tables and code", () => {
  it('list in the element guide every public attribute of custom-elements.json', () => {
    const documented = names(tables('docs/element.md', '## Attributes and properties')[0]!)
    const attributes = (element().attributes ?? []).map((a) => a.name).filter((name) => !name.startsWith('_'))
    assert.ok(attributes.length >= 8, `only ${attributes.length} attributes in the manifest`)
    for (const name of attributes) assert.ok(documented.includes(name), `attribute ${name} is missing from docs/element.md`)
  })

  it('list in the element guide exactly the events of custom-elements.json', () => {
    const documented = names(tables('docs/element.md', '## Events')[0]!).sort()
    const events = (element().events ?? []).flatMap((e) => (e.name ? [e.name] : [])).sort()
    assert.deepEqual(documented, events)
  })

  it('list in the element guide exactly the slots, parts and custom properties, with their defaults', () => {
    const declaration = element()
    const [slots, parts, properties] = tables('docs/element.md', '## Slots, parts and custom properties') as [Map<string, string>, Map<string, string>, Map<string, string>]
    assert.deepEqual([...slots.keys()].map((cell) => (cell === '(default)' ? '' : cell.replaceAll('`', ''))).sort(), (declaration.slots ?? []).map((s) => s.name).sort())
    assert.deepEqual(names(parts).sort(), (declaration.cssParts ?? []).map((p) => p.name).sort())
    assert.deepEqual(names(properties).sort(), (declaration.cssProperties ?? []).map((p) => p.name).sort())
    for (const property of declaration.cssProperties ?? []) {
      const row = properties.get(`\`${property.name}\``)!
      assert.ok(row.startsWith(`\`${property.default}\``), `${property.name} defaults to ${property.default}; docs/element.md says ${row}`)
    }
  })

  it('list in the element guide exactly the error codes the element declares, each from its source', () => {
    const events = source('widget/events.ts')
    const union = (name: string) => {
      const declaration = new RegExp(`type ${name} =([^\\n]*(?:\\n\\s*\\|[^\\n]*)*)`).exec(events)
      assert.ok(declaration, `widget/events.ts declares no ${name}`)
      return [...declaration[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1])
    }
    const rows = tables('docs/element.md', '## Error codes')[0]!
    const from = (source: string) => names(new Map([...rows].filter(([, rest]) => rest.startsWith(`${source} |`)))).sort()
    assert.deepEqual(from('element'), union('ElementErrorCode').sort())
    assert.deepEqual(from('Stripe'), union('StripeErrorCode').sort())
  })

  it('list in the server guide exactly the environment variables npm start reads, with their defaults', () => {
    const config = source('site/config.ts')
    const read = new Set([...config.matchAll(/env\.([A-Z_]+)|readPort\(env, '([A-Z_]+)', (\d+)\)/g)].map((m) => m[1] ?? m[2]))
    const rows = tables('docs/server.md', '## Environment of `npm start`')[0]!
    assert.deepEqual(names(rows).sort(), [...read].sort())
    for (const [, name, fallback] of config.matchAll(/readPort\(env, '([A-Z_]+)', (\d+)\)/g)) {
      assert.ok(rows.get(`\`${name}\``)?.startsWith(`\`${fallback}\``), `${name} defaults to ${fallback}`)
    }
    const databasePath = /env\.DATABASE_PATH \|\| '([^']+)'/.exec(config)?.[1]
    assert.ok(databasePath && rows.get('`DATABASE_PATH`')?.startsWith(`\`${databasePath}\``))
  })

  it('list in the server guide exactly the options of createApp and of its limits', () => {
    const deps = source('server/routes/deps.ts')
    const members = (name: string) => {
      const body = new RegExp(`export interface ${name} \\{\n([^]*?)\n\\}`).exec(deps)?.[1]
      assert.ok(body, `server/routes/deps.ts declares no ${name}`)
      return [...body.matchAll(/^ {2}(\w+)\??[(:]/gm)].map((m) => m[1]!).sort()
    }
    const [options] = tables('docs/server.md', '### `createApp`')
    assert.deepEqual(names(options!).sort(), members('VerificationAppDeps'))
    const [limits] = tables('docs/server.md', '## Limits')
    assert.deepEqual(names(limits!).sort(), members('VerificationLimits'))
  })

  it('list in the emulator guide exactly the environment variables npm run emulator reads, with their defaults', () => {
    const main = source('emulator/main.ts')
    const read = [...new Set([...main.matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]!))].sort()
    const rows = tables('docs/emulator.md', '## Starting it')[0]!
    assert.deepEqual(names(rows).sort(), read)
    const port = /process\.env\.EMULATOR_PORT \?\? (\d+)/.exec(main)?.[1]
    assert.ok(port && rows.get('`EMULATOR_PORT`')?.startsWith(`\`${port}\``), `EMULATOR_PORT defaults to ${port}`)
    assert.ok(rows.get('`WEBHOOK_URL`')?.startsWith(`\`${DEFAULT_WEBHOOK_URL}\``), `WEBHOOK_URL defaults to ${DEFAULT_WEBHOOK_URL}`)
  })

  it('show in the frameworks guide exactly the code of the example apps that npm test builds and runs', () => {
    const blocks = [...readDoc('docs/frameworks.md').matchAll(/<!-- (examples\/[^ ]+) -->\n```[a-z]*\n([^]*?)\n```/g)]
    assert.deepEqual(
      blocks.map(([, path]) => path!.split('/')[1]).filter((name, i, all) => all.indexOf(name) === i),
      ['react', 'next', 'vue', 'svelte', 'angular'],
    )
    for (const [, path, code] of blocks) {
      assert.equal(code, source(path!).replace(/\n+$/, ''), `${path} differs from its block in docs/frameworks.md`)
    }
  })
})
