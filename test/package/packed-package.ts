// identity-verify as `npm pack` makes it from the built tree, which is what `npm publish` uploads.
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The repository's root folder, with a trailing slash. */
export const root = fileURLToPath(new URL('../../', import.meta.url))

/** What `npm pack --json` says of the tarball. */
export interface PackedPackage {
  filename: string
  /** Bytes of the gzipped tarball. */
  size: number
  unpackedSize: number
  entryCount: number
  files: {path: string; size: number}[]
}

/**
 * The environment for a child npm: without the `npm_*` variables of the `npm run` that may have
 * started this process, which would make it read this repository's settings and folder.
 */
export function childNpmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)))
}

/** Runs npm in `cwd` and returns what it printed; throws with npm's output when it fails. */
export function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', args, {cwd, env: childNpmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

/**
 * Packs the tree as built (`npm test` builds before it runs these tests) into `destination`, or,
 * without one, only lists what the tarball would hold.
 */
export function pack(destination?: string): PackedPackage {
  const args = ['pack', '--json', '--ignore-scripts', ...(destination ? ['--pack-destination', destination] : ['--dry-run'])]
  const [packed] = JSON.parse(npm(args, root)) as PackedPackage[]
  if (!packed) throw new Error('npm pack described no tarball')
  return packed
}

/** The files `npm pack` reads, whose sizes and times say whether a packed tarball is still current. */
const PACKED_INPUTS = ['lib', 'dist', 'frameworks', 'package.json', 'custom-elements.json', 'README.md', 'LICENSE']

function fingerprint(): string {
  const hash = createHash('sha256')
  for (const input of PACKED_INPUTS) {
    const path = join(root, input)
    if (!existsSync(path)) continue
    const files = statSync(path).isDirectory() ? readdirSync(path, {recursive: true, encoding: 'utf8'}).map((file) => join(path, file)) : [path]
    for (const file of files.sort()) {
      const stat = statSync(file)
      if (stat.isFile()) hash.update(`${file}\n${stat.size}\n${stat.mtimeMs}\n`)
    }
  }
  return hash.digest('hex').slice(0, 16)
}

/**
 * The tree as built, packed once and shared by the test files that install it (each runs in a
 * process of its own): kept in a folder of the system's temporary one named after this repository,
 * and packed again when a packed file changed.
 */
export function packedTarball(): string {
  const folder = join(tmpdir(), `identity-verify-tarball-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`)
  const tarball = join(folder, `${fingerprint()}.tgz`)
  if (existsSync(tarball)) return tarball
  rmSync(folder, {recursive: true, force: true})
  mkdirSync(folder, {recursive: true})
  const packing = mkdtempSync(join(folder, 'packing-'))
  renameSync(join(packing, pack(packing).filename), tarball)
  rmSync(packing, {recursive: true, force: true})
  return tarball
}

/** npm's options for installs in the tests: from the cache where it can, without the audit and funding requests. */
export const INSTALL = ['--prefer-offline', '--no-audit', '--no-fund'] as const

/** The server's packages as the package.json declares them, for the README's `npm install identity-verify hono@4 …`. */
export const SERVER_PEERS = ['hono', '@hono/node-server', 'stripe', 'better-sqlite3', 'valibot'] as const

/**
 * Installs the server's packages into the site at `site` with `options`, better-sqlite3 without
 * compiling: it compiles its native module on install (about 45 s with g++ when no prebuilt binary can
 * be downloaded), so the same version is installed without its build step and given the module this
 * repository already built.
 */
export function installServerPeers(site: string, names: readonly string[], options: readonly string[] = []): void {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {peerDependencies: Record<string, string>}
  const ranges = names.filter((name) => name !== 'better-sqlite3').map((name) => `${name}@${manifest.peerDependencies[name]}`)
  if (ranges.length) npm(['install', ...ranges, ...INSTALL, ...options], site)
  if (!names.includes('better-sqlite3')) return
  const built = join(root, 'node_modules/better-sqlite3')
  const {version} = JSON.parse(readFileSync(join(built, 'package.json'), 'utf8')) as {version: string}
  npm(['install', `better-sqlite3@${version}`, '--ignore-scripts', ...INSTALL, ...options], site)
  const release = join(site, 'node_modules/better-sqlite3/build/Release')
  mkdirSync(release, {recursive: true})
  copyFileSync(join(built, 'build/Release/better_sqlite3.node'), join(release, 'better_sqlite3.node'))
}

/** Every installed package under a node_modules folder, scoped ones as `@scope/name`, nested ones included. */
export function installedPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules, {recursive: true, encoding: 'utf8'})
    .filter((path) => path.endsWith('package.json'))
    .map((path) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(`node_modules/${path}`)?.[1])
    .filter((name): name is string => name !== undefined)
}
