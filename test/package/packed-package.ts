// identity-verify as `npm pack` makes it from the built tree, which is what `npm publish` uploads.
import {execFileSync} from 'node:child_process'
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
function childNpmEnv(): NodeJS.ProcessEnv {
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
