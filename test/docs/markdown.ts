// Reading the README and the guides as a reader sees them: sections by heading, the tables in them,
// the links, and the anchors GitHub gives headings.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = fileURLToPath(new URL('../../', import.meta.url))

/** A markdown file of the repository, by its path from the root (`README.md`, `docs/element.md`). */
export function readDoc(path: string): string {
  return readFileSync(join(root, path), 'utf8')
}

/** The README and every markdown file under docs/, as paths from the root. */
export function docPaths(): string[] {
  const guides = readdirSync(join(root, 'docs'), {recursive: true, encoding: 'utf8'})
    .filter((path) => path.endsWith('.md'))
    .map((path) => relative(root, join(root, 'docs', path)))
  return ['README.md', ...guides.sort()]
}

/** The text of a file with its fenced code blocks blanked out (offsets kept), so a `#` comment in a shell block is no heading. */
export function prose(text: string): string {
  return text.replace(/^( *)(```|~~~)[^]*?^\1\2 *$/gm, (block) => block.replace(/[^\n]/g, ' '))
}

/** The text under a heading (given whole, `## Events`), up to the next heading of the same or a higher level. */
export function section(path: string, heading: string): string {
  const text = readDoc(path)
  const start = text.indexOf(`\n${heading}\n`)
  assert.ok(start >= 0, `${path} has no "${heading}" section`)
  const level = /^#+/.exec(heading)![0].length
  const after = text.slice(start + heading.length + 2)
  const end = prose(after).search(new RegExp(`\\n#{1,${level}} `))
  return end < 0 ? after : after.slice(0, end)
}

/** The tables of a section (up to its next heading of any level), each as a map from its first cell to the rest of the row. */
export function tables(path: string, heading: string): Map<string, string>[] {
  const own = section(path, heading).split(/\n#{2,6} /)[0]!
  const found: Map<string, string>[] = []
  let rows: Map<string, string> | null = null
  for (const line of own.split('\n')) {
    if (!line.startsWith('|')) {
      rows = null
      continue
    }
    if (!rows) found.push((rows = new Map()))
    else if (!line.startsWith('|---')) {
      const [name, ...rest] = line.slice(2, -2).split(' | ')
      rows.set(name!, rest.join(' | '))
    }
  }
  assert.ok(found.length > 0, `the "${heading}" section of ${path} has no table`)
  return found
}

/** The `code` names in a table's first column. */
export function names(rows: Map<string, string>): string[] {
  return [...rows.keys()].flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!))
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const found = new Set<string>()
  for (const [, title] of prose(text).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const slug = title!
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    found.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return found
}

/** The targets of a file's inline links and images that stay in the repository (no scheme, no `//`). */
export function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(target))
}
