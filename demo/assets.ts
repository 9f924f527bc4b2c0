/** The demo's own files in `demo/assets/`, served under `/demo/`, with their content types. */
export const DEMO_ASSETS = {
  'demo.css': 'text/css; charset=utf-8',
  'theme.css': 'text/css; charset=utf-8',
  'event-log.js': 'text/javascript; charset=utf-8',
  'confirmation.js': 'text/javascript; charset=utf-8',
  'copy-button.js': 'text/javascript; charset=utf-8',
  'embed-snippet.js': 'text/javascript; charset=utf-8',
  'snippet-builder.js': 'text/javascript; charset=utf-8',
  'setup-check.js': 'text/javascript; charset=utf-8',
} as const
export type DemoAsset = keyof typeof DEMO_ASSETS

/**
 * What the demo serves from memory, on every runtime alike: read when `npm start` starts
 * (`readDemoBuild`), or packed at build for the runtimes that have no disk to read
 * (`runtimes/pack-widget.ts`).
 */
export interface DemoBuild {
  /** The text of each file of `demo/assets/`. */
  assets: Readonly<Record<DemoAsset, string>>
  /** Where the source is published (package.json's `repository`, as a web address): what "Deploy to Cloudflare" deploys. */
  repositoryUrl: string | null
}

/**
 * The web address of package.json's `repository` (`git+https://github.com/o/r.git`, a URL, or
 * `github:o/r`): `https://github.com/o/r`; null when there is none.
 */
export function repositoryWebUrl(repository: string | {url?: string} | undefined): string | null {
  const given = typeof repository === 'string' ? repository : repository?.url
  if (!given) return null
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(given)
  if (shorthand) return `https://github.com/${shorthand[1]}`
  return given.replace(/^git\+/, '').replace(/\.git$/, '')
}
