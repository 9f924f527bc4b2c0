// Debian's Chromium, headless, with the flags it needs on a machine with no network and no GPU.
// Shared by the browser unit tests (web-test-runner), the end-to-end tests and the benchmarks.
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
