import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

// The README is the element's reference for most users; these tests keep its tables in step with
// custom-elements.json, which `npm run build` generates from the element's own JSDoc.
const root = new URL('../../', import.meta.url)
const manifestUrl = new URL('custom-elements.json', root)

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
  assert.ok(existsSync(manifestUrl), 'custom-elements.json is missing: run `npm run build` first')
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as {modules: {declarations?: Declaration[]}[]}
  const found = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'identity-verify')
  assert.ok(found, 'custom-elements.json declares no <identity-verify>')
  return found
}

/** The tables of a README section, each as a map from its first cell to the rest of the row. */
function tables(heading: string): Map<string, string>[] {
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const start = readme.indexOf(`\n${heading}\n`)
  assert.ok(start >= 0, `README has no "${heading}" section`)
  const section = readme.slice(start + heading.length + 2).split(/\n#{2,3} /)[0]
  const found: Map<string, string>[] = []
  let rows: Map<string, string> | null = null
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) {
      rows = null
      continue
    }
    if (!rows) found.push((rows = new Map()))
    else if (!line.startsWith('|---')) {
      const [name, ...rest] = line.slice(2, -2).split(' | ')
      rows.set(name, rest.join(' | '))
    }
  }
  assert.ok(found.length > 0, `README's "${heading}" section has no table`)
  return found
}

/** The `code` names in a table's first column. */
function names(rows: Map<string, string>): string[] {
  return [...rows.keys()].flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]))
}

describe('the README tables', () => {
  it('list every public attribute of custom-elements.json', () => {
    const documented = names(tables('### Attributes and properties')[0])
    const attributes = (element().attributes ?? []).map((a) => a.name).filter((name) => !name.startsWith('_'))
    assert.ok(attributes.length >= 8, `only ${attributes.length} attributes in the manifest`)
    for (const name of attributes) assert.ok(documented.includes(name), `attribute ${name} is missing from the README`)
  })

  it('list exactly the events of custom-elements.json', () => {
    const documented = names(tables('### Events')[0]).sort()
    const events = (element().events ?? []).flatMap((e) => (e.name ? [e.name] : [])).sort()
    assert.deepEqual(documented, events)
  })

  it('list exactly the slots, parts and custom properties, with their defaults', () => {
    const declaration = element()
    const [slots, parts, properties] = tables('### Slots, parts and custom properties')
    assert.deepEqual([...slots.keys()].map((cell) => (cell === '(default)' ? '' : cell.replaceAll('`', ''))).sort(), (declaration.slots ?? []).map((s) => s.name).sort())
    assert.deepEqual(names(parts).sort(), (declaration.cssParts ?? []).map((p) => p.name).sort())
    assert.deepEqual(names(properties).sort(), (declaration.cssProperties ?? []).map((p) => p.name).sort())
    for (const property of declaration.cssProperties ?? []) {
      const row = properties.get(`\`${property.name}\``)!
      assert.ok(row.startsWith(`\`${property.default}\``), `${property.name} defaults to ${property.default}; the README says ${row}`)
    }
  })

  it('list exactly the error codes the element declares, each from its source', () => {
    const events = readFileSync(new URL('widget/events.ts', root), 'utf8')
    const union = (name: string) => {
      const declaration = new RegExp(`type ${name} =([^\\n]*(?:\\n\\s*\\|[^\\n]*)*)`).exec(events)
      assert.ok(declaration, `widget/events.ts declares no ${name}`)
      return [...declaration[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1])
    }
    const rows = tables('### Error codes')[0]
    const from = (source: string) => names(new Map([...rows].filter(([, rest]) => rest.startsWith(`${source} |`)))).sort()
    assert.deepEqual(from('element'), union('ElementErrorCode').sort())
    assert.deepEqual(from('Stripe'), union('StripeErrorCode').sort())
  })

  it('list exactly the environment variables npm start reads, with their defaults', () => {
    const config = readFileSync(new URL('site/config.ts', root), 'utf8')
    const read = new Set([...config.matchAll(/env\.([A-Z_]+)|readPort\(env, '([A-Z_]+)', (\d+)\)/g)].map((m) => m[1] ?? m[2]))
    const rows = tables('### Environment of `npm start`')[0]
    assert.deepEqual(names(rows).sort(), [...read].sort())
    for (const [, name, fallback] of config.matchAll(/readPort\(env, '([A-Z_]+)', (\d+)\)/g)) {
      assert.ok(rows.get(`\`${name}\``)?.startsWith(`\`${fallback}\``), `${name} defaults to ${fallback}`)
    }
    const databasePath = /env\.DATABASE_PATH \|\| '([^']+)'/.exec(config)?.[1]
    assert.ok(databasePath && rows.get('`DATABASE_PATH`')?.startsWith(`\`${databasePath}\``))
  })

  it('show in Frameworks exactly the code of the example apps that npm test builds and runs', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8')
    const blocks = [...readme.matchAll(/<!-- (examples\/[^ ]+) -->\n```[a-z]*\n([^]*?)\n```/g)]
    assert.deepEqual(
      blocks.map(([, path]) => path!.split('/')[1]).filter((name, i, all) => all.indexOf(name) === i),
      ['react', 'vue', 'svelte', 'angular'],
    )
    for (const [, path, code] of blocks) {
      assert.equal(code, readFileSync(new URL(path!, root), 'utf8').replace(/\n+$/, ''), `${path} differs from its README block`)
    }
  })
})
