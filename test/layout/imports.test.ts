import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

// The layout, read from the import lines: every arrow points down, from the programs and tools to
// the parts they use, and nothing points back up or goes round in a circle.
const root = fileURLToPath(new URL('../../', import.meta.url))
// cli/ is the package's command (`identity-verify start|emulator`), above the programs it runs; tools/
// holds the repository's build steps, which import nothing of the product. frameworks/ is the React
// component, published beside the element it wraps.
const FOLDERS = ['protocol', 'widget', 'frameworks', 'server', 'emulator', 'demo', 'site', 'standalone', 'cli', 'runtimes', 'harness', 'bench', 'tools', 'test']
/** The parts that are published or shared: they reach none of the folders that use them. */
const LIBRARIES = ['protocol', 'widget', 'frameworks', 'server']
const USERS = ['demo', 'emulator', 'site', 'standalone', 'cli', 'runtimes', 'harness', 'bench', 'tools', 'test']
const SOURCE = /\.(ts|mts|mjs|js)$/

function sourceFiles(folder: string): string[] {
  return (
    readdirSync(join(root, folder), {recursive: true, encoding: 'utf8'})
      .map((file) => join(folder, file))
      // Installed packages (the bench's own node_modules) are not the project's code.
      .filter((file) => SOURCE.test(file) && !file.includes('node_modules') && !file.endsWith('.d.ts') && statSync(join(root, file)).isFile())
  )
}

/** The repository files a source file imports (static, dynamic and re-exports), by their paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]!)
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => relative(root, resolve(root, dirname(file), specifier)).replace(/\.js$/, '.ts'))
}

/** The modules only Node has that a source file imports, statically or dynamically: `node:…`, Node's HTTP server, better-sqlite3. */
function nodeImportsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/(?:\bfrom\s*|^\s*import\s*|\bimport\(\s*)['"]((?:node:|@hono\/node-server|better-sqlite3)[^'"]*)['"]/gm)].map((match) => match[1]!)
}

/** Every repository file `file` reaches through its imports, itself included. */
function reachableFrom(file: string): Set<string> {
  const seen = new Set<string>()
  const visit = (current: string) => {
    if (seen.has(current) || !graph.has(current)) return
    seen.add(current)
    for (const target of graph.get(current) ?? []) visit(target)
  }
  visit(file)
  return seen
}

const folderOf = (file: string) => file.split('/')[0]!
const graph = new Map(FOLDERS.flatMap(sourceFiles).map((file) => [file, importsOf(file)]))

/**
 * What runs on Cloudflare Workers, Bun and Deno as well as Node: the routes, the app factory and the
 * `identity-verify/server/web` entry, the PostgreSQL store, the site every runtime serves, and those
 * runtimes' entries (the packing and installing scripts run on Node, before them), and all they
 * reach (the demo's pages among them).
 */
const RUNTIMES_NODE_SCRIPTS = ['runtimes/pack-widget.ts', 'runtimes/install-tools.mjs']
const EVERY_RUNTIME = [
  'server/app.ts',
  'server/web.ts',
  'server/store/postgres/index.ts',
  ...[...graph.keys()].filter((file) => file.startsWith('server/routes/') || folderOf(file) === 'site'),
  ...[...graph.keys()].filter((file) => folderOf(file) === 'runtimes' && !RUNTIMES_NODE_SCRIPTS.includes(file)),
]

/**
 * The SQLite drivers of Bun and Deno, which the runtimes' entries load when there is no `DATABASE_URL`:
 * they run on a disk, with Node's `fs` and `path` that both runtimes have, and Deno's `node:sqlite`.
 * Nothing that Workers runs reaches them.
 */
const DISK_DRIVERS = ['server/store/sqlite/drivers/bun-sqlite.ts', 'server/store/sqlite/drivers/node-sqlite.ts', 'server/store/sqlite/drivers/database-file.ts']
const DISK_DRIVER_MODULES = ['node:fs', 'node:path', 'node:sqlite']

/** The room of a server file: its folder under `server/` (`store/sqlite` for the SQLite store), or `.` for the entries and the app. */
const roomOf = (file: string) => {
  const parts = file.split('/').slice(1, -1)
  return parts.length === 0 ? '.' : parts[0] === 'store' && parts.length > 1 ? `store/${parts[1]}` : parts[0]!
}

/**
 * The server's rooms and the rooms each may import, besides its own: every arrow points down, from
 * the entries and the app to the routes, to the HTTP glue, the visitor, Stripe and the stores, to the
 * logger and the pure rules.
 */
const SERVER_ROOMS: Readonly<Record<string, readonly string[]>> = {
  rules: [],
  log: [],
  store: ['rules'],
  'store/sqlite': ['store', 'rules', 'log'],
  'store/postgres': ['store', 'rules', 'log'],
  stripe: ['rules', 'log'],
  http: ['rules', 'log'],
  visitor: ['http'],
  routes: ['http', 'visitor', 'stripe', 'store', 'rules', 'log'],
  // The element's files: served beside the routes, knowing nothing of them.
  element: [],
  '.': ['routes', 'http', 'visitor', 'stripe', 'store', 'store/sqlite', 'store/postgres', 'rules', 'log', 'element'],
}

/** The packages a file imports (not relative paths, not `node:`), by name. */
function packagesOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/(?:\bfrom\s*|^\s*import\s*|\bimport\(\s*)['"]([^'".][^'"]*)['"]/gm)].map((match) => match[1]!)
}

describe('the layout, read from the import lines', () => {
  it('finds the import lines it checks', () => {
    assert.ok(graph.size > 50, `read ${graph.size} files`)
    assert.ok(graph.get('standalone/main.ts')?.some((target) => target.startsWith('server/')))
  })

  it('lets no published or shared part reach the programs, tools or tests that use it', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      LIBRARIES.includes(folderOf(file)) ? targets.filter((target) => USERS.includes(folderOf(target))).map((target) => `${file} → ${target}`) : [],
    )
    assert.deepEqual(upward, [])
  })

  it('lets no Node-only import be reached from the routes, the app factory, the PostgreSQL store or the runtimes entries', () => {
    assert.ok(EVERY_RUNTIME.includes('server/routes/webhook.ts') && EVERY_RUNTIME.includes('runtimes/workers.ts'), EVERY_RUNTIME.join(', '))
    const reached = new Set(EVERY_RUNTIME.flatMap((file) => [...reachableFrom(file)]))
    assert.ok(reached.has('server/visitor/identity.ts') && reached.has('server/routes/deps.ts'), [...reached].join(', '))
    const nodeOnly = [...reached].flatMap((file) =>
      nodeImportsOf(file)
        .filter((module) => !(DISK_DRIVERS.includes(file) && DISK_DRIVER_MODULES.includes(module)))
        .map((module) => `${file} → ${module}`),
    )
    assert.deepEqual(nodeOnly, [])
  })

  it('keeps the SQLite store over a driver free of any SQLite library and Node module, for every runtime to bundle', () => {
    const reached = [...reachableFrom('server/store/sqlite/connection.ts')]
    assert.ok(reached.includes('server/store/sqlite/record-events.ts') && reached.includes('server/store/sqlite/migrate.ts'), reached.join(', '))
    const io = reached.flatMap((file) => [...nodeImportsOf(file), ...packagesOf(file).filter((name) => name !== 'valibot')].map((name) => `${file} → ${name}`))
    assert.deepEqual(io, [])
  })

  it("lets Bun's and Deno's entries alone reach the SQLite drivers that use a disk", () => {
    assert.ok(reachableFrom('runtimes/bun.ts').has('server/store/sqlite/drivers/bun-sqlite.ts'))
    assert.ok(reachableFrom('runtimes/deno.ts').has('server/store/sqlite/drivers/node-sqlite.ts'))
    const others = EVERY_RUNTIME.filter((file) => !['runtimes/bun.ts', 'runtimes/deno.ts'].includes(file))
    const reaching = others.flatMap((file) => DISK_DRIVERS.filter((driver) => reachableFrom(file).has(driver)).map((driver) => `${file} → ${driver}`))
    assert.deepEqual(reaching, [])
  })

  // The demo's pages too: every runtime serves them, from the files packed at build, so the pages'
  // modules are held to web-standard imports like the rest of what those runtimes reach.
  it('keeps the runtimes entries to the server, the protocol, the site every runtime serves and its pages', () => {
    assert.ok(reachableFrom('runtimes/site.ts').has('demo/routes.ts'), 'the runtimes serve the pages')
    const reaching = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'runtimes'
        ? targets.filter((target) => !['runtimes', 'site', 'server', 'protocol', 'demo'].includes(folderOf(target))).map((target) => `${file} → ${target}`)
        : [],
    )
    assert.deepEqual(reaching, [])
  })

  it('keeps the command to the programs it runs and the server, and the build steps to themselves', () => {
    assert.ok(graph.get('cli/identity-verify.ts')?.includes('standalone/main.ts'), 'the command runs the standalone server')
    const reaching = [...graph].flatMap(([file, targets]) => {
      const allowed = folderOf(file) === 'cli' ? ['cli', 'standalone', 'emulator', 'server'] : folderOf(file) === 'tools' ? ['tools'] : null
      return allowed ? targets.filter((target) => !allowed.includes(folderOf(target))).map((target) => `${file} → ${target}`) : []
    })
    assert.deepEqual(reaching, [])
  })

  // Its pages included: `npm start` and every runtime serve the one site, pages and all.
  it('keeps the site every runtime serves to the server, the protocol and the pages', () => {
    const reaching = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'site' ? targets.filter((target) => !['site', 'server', 'protocol', 'demo'].includes(folderOf(target))).map((target) => `${file} → ${target}`) : [],
    )
    assert.deepEqual(reaching, [])
  })

  it('gives the server rooms whose imports all point down', () => {
    const serverFiles = [...graph.keys()].filter((file) => folderOf(file) === 'server')
    const unknown = serverFiles.filter((file) => !(roomOf(file) in SERVER_ROOMS))
    assert.deepEqual(unknown, [], 'every server file is in a room of SERVER_ROOMS')
    const upward = serverFiles.flatMap((file) => {
      const room = roomOf(file)
      return graph
        .get(file)!
        .filter((target) => folderOf(target) === 'server' && roomOf(target) !== room && !SERVER_ROOMS[room]!.includes(roomOf(target)))
        .map((target) => `${file} → ${target}`)
    })
    assert.deepEqual(upward, [])
  })

  it('keeps the rules pure: no I/O, no HTTP, no Stripe, no database', () => {
    const rules = [...graph.keys()].filter((file) => file.startsWith('server/rules/'))
    assert.ok(rules.includes('server/rules/event-rules.ts'), rules.join(', '))
    const io = rules.flatMap((file) =>
      packagesOf(file)
        .filter((name) => name !== 'valibot')
        .map((name) => `${file} → ${name}`),
    )
    assert.deepEqual(io, [])
  })

  it('keeps the HTTP glue and the visitor apart from the stores, and the stores apart from HTTP and Stripe', () => {
    const crossing = [...graph.keys()]
      .filter((file) => /^server\/(http|visitor|store)\//.test(file))
      .flatMap((file) => {
        const forbidden = file.startsWith('server/store/') ? ['hono', 'stripe'] : ['better-sqlite3', 'pg']
        return packagesOf(file)
          .filter((name) => forbidden.some((pkg) => name === pkg || name.startsWith(`${pkg}/`)))
          .map((name) => `${file} → ${name}`)
      })
    assert.deepEqual(crossing, [])
  })

  it('keeps the shared protocol free of the browser and server parts', () => {
    const reaching = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'protocol' ? targets.filter((target) => folderOf(target) !== 'protocol').map((target) => `${file} → ${target}`) : [],
    )
    assert.deepEqual(reaching, [])
  })

  it('keeps the framework components to the element they wrap', () => {
    const reaching = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'frameworks' ? targets.filter((target) => !['frameworks', 'widget'].includes(folderOf(target))).map((target) => `${file} → ${target}`) : [],
    )
    assert.ok(graph.get('frameworks/react.ts')?.includes('widget/identity-verify.ts'))
    assert.deepEqual(reaching, [])
  })

  it('keeps the element and the server apart: neither imports the other', () => {
    const crossing = [...graph].flatMap(([file, targets]) => {
      const from = folderOf(file)
      return targets
        .filter((target) => (from === 'widget' && folderOf(target) === 'server') || (from === 'server' && folderOf(target) === 'widget'))
        .map((target) => `${file} → ${target}`)
    })
    assert.deepEqual(crossing, [])
  })

  it('lets nothing outside test/ import from test/', () => {
    const intoTests = [...graph].flatMap(([file, targets]) =>
      folderOf(file) === 'test' ? [] : targets.filter((target) => folderOf(target) === 'test').map((target) => `${file} → ${target}`),
    )
    assert.deepEqual(intoTests, [])
  })

  it('has no two files that import each other, directly or in a circle', () => {
    const cycles: string[] = []
    const state = new Map<string, 'visiting' | 'done'>()
    const path: string[] = []
    const visit = (file: string) => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '))
        return
      }
      state.set(file, 'visiting')
      path.push(file)
      for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target)
      path.pop()
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file)
    assert.deepEqual(cycles, [])
  })
})
