import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {packageRoot} from '../server/element/package-root.js'
import {DEMO_ASSETS, repositoryWebUrl, type DemoAsset, type DemoBuild} from './assets.js'

/**
 * The demo's files, read from `demo/assets/` (`lib/demo/assets/` once compiled), and the package's
 * repository, on Node: by `npm start` as it starts, and by the step that packs them for the other
 * runtimes (`runtimes/pack-widget.ts`), so every runtime serves the same texts from memory.
 */
export function readDemoBuild(): DemoBuild {
  const names = Object.keys(DEMO_ASSETS) as DemoAsset[]
  const assets = Object.fromEntries(names.map((name) => [name, readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8')])) as Record<DemoAsset, string>
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {repository?: string | {url?: string}}
  return {assets, repositoryUrl: repositoryWebUrl(manifest.repository)}
}
