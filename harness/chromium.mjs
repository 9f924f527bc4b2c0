// Debian's Chromium, headless, with the flags it needs on a machine with no network and no GPU.
// Shared by the browser unit tests (web-test-runner), the end-to-end tests, the benchmarks and the
// screenshot script. Plain JavaScript, so that web-test-runner's config can import it too.
import {chromium} from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

/** Launches that Chromium through Playwright, with `args` added to the flags above. */
export function launchChromium({args = []} = {}) {
  return chromium.launch({executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...args]})
}
