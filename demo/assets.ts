import {readFileSync} from 'node:fs'

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

const texts = new Map<DemoAsset, string>()

/** A demo file's text, read once. The theme is also shown on the pages, so what you read is what styles them. */
export function demoAsset(name: DemoAsset): string {
  let text = texts.get(name)
  if (text === undefined) texts.set(name, (text = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8')))
  return text
}
