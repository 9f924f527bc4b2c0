import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * The folder of identity-verify's own package.json, found by walking up from this module: the
 * repository when run from the sources, the package when run from `lib/` in `node_modules`, whatever
 * the depth of the module that asks.
 */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'identity-verify') return folder
    const parent = dirname(folder)
    if (parent === folder) throw new Error(`identity-verify's package.json was not found above ${fileURLToPath(import.meta.url)}`)
    folder = parent
  }
}

/** The element's script-tag build: `dist/` beside the package's package.json. */
export const elementDist = (): string => join(packageRoot(), 'dist')
