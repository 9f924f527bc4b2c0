/**
 * `npm run screenshot`: photographs the real demo for the README. Starts `npm start`'s server on
 * free ports with a throwaway store, walks through a verification in Chromium, and writes
 * `docs/demo.png` (the page with its event log) and `docs/modal.png` (the emulator's window).
 */
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {launchChromium} from '../harness/chromium.mjs'
import {startStandaloneServer} from '../harness/standalone-server.js'

const docs = fileURLToPath(new URL('../docs/', import.meta.url))
const folder = mkdtempSync(join(tmpdir(), 'identity-verify-screenshot-'))
const server = await startStandaloneServer({databasePath: join(folder, 'store.sqlite')})
const browser = await launchChromium()
try {
  mkdirSync(docs, {recursive: true})
  const page = await browser.newPage({viewport: {width: 1280, height: 800}, deviceScaleFactor: 1})
  await page.goto(`${server.url}/`)

  // The themed element stays on the page, so the log fills with a whole flow: start, open, submitted, status.
  const modal = page.frameLocator('iframe')
  await page.locator('identity-verify.themed').getByRole('button').click()
  await modal.locator('button[data-outcome="verified"]').click()
  await page.locator('#event-log .log-entry[data-type="identity-verify-status"]', {hasText: '"verified"'}).waitFor({timeout: 20_000})
  await page.setViewportSize({width: 1280, height: 1000})
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({path: join(docs, 'demo.png'), fullPage: true})

  // Then Stripe's window, as the onboarding step opens it for a new visitor (this one is verified now,
  // and a verified visitor gets no new session).
  const context = await browser.newContext({viewport: {width: 1280, height: 800}, deviceScaleFactor: 1})
  const visitor = await context.newPage()
  await visitor.goto(`${server.url}/`)
  await visitor.locator('#verify').getByRole('button').click()
  await visitor.frameLocator('iframe').locator('button[data-outcome="verified"]:focus').waitFor()
  await visitor.screenshot({path: join(docs, 'modal.png')})
  process.stdout.write(`Wrote ${join(docs, 'demo.png')} and ${join(docs, 'modal.png')}\n`)
} finally {
  await browser.close()
  await server.stop()
  rmSync(folder, {recursive: true, force: true})
}
