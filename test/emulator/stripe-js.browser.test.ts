import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {type Browser, type Page} from 'playwright-core'
import type Stripe from 'stripe'
import {startEmulator, type RunningEmulator} from '../../emulator/index.js'
import {silentLogger} from '../../server/log/logger.js'
import {createStripeClient} from '../../server/stripe/client.js'
import {launchChromium} from '../../harness/chromium.mjs'

const PURE_MJS = readFileSync(new URL('../../node_modules/@stripe/stripe-js/dist/pure.mjs', import.meta.url), 'utf8')

let emulator: RunningEmulator
let stripe: Stripe
let site: Server
let siteUrl: string
let browser: Browser
let page: Page
const consoleMessages: string[] = []

/** A page on another origin that loads the double by script tag and imports the real `loadStripe`. */
function sitePage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="${emulator.url}/stripe.js"></script>
<script type="module">
  import {loadStripe} from '/pure.mjs';
  window.verify = async (clientSecret) => {
    const stripe = await loadStripe('pk_test_emulator');
    return stripe.verifyIdentity(clientSecret);
  };
  window.ready = true;
</script></head>
<body><button id="start">Verify</button></body></html>`
}

before(async () => {
  emulator = await startEmulator({webhookSecret: 'whsec_browser', webhookUrl: 'http://127.0.0.1:9/closed', retryDelaysMs: [], processingDelayMs: 60_000, logger: silentLogger})
  stripe = createStripeClient({secretKey: 'sk_test_browser', emulatorUrl: emulator.url, maxNetworkRetries: 0})
  site = createServer((req, res) => {
    if (req.url === '/pure.mjs') res.writeHead(200, {'Content-Type': 'text/javascript'}).end(PURE_MJS)
    else res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'}).end(sitePage())
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`
  browser = await launchChromium()
  page = await browser.newPage()
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') consoleMessages.push(message.text())
  })
  page.on('pageerror', (err) => consoleMessages.push(err.message))
  await page.goto(siteUrl)
  await page.waitForFunction(() => (window as unknown as {ready?: boolean}).ready === true)
})

after(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await emulator?.close()
})

/** Calls the real `loadStripe` and `verifyIdentity` in the page; the promise settles when the modal resolves. */
function verifyInPage(clientSecret: string): Promise<unknown> {
  return page.evaluate((secret) => (window as unknown as {verify(s: string): Promise<unknown>}).verify(secret), clientSecret)
}

const modal = () => page.frameLocator('[data-stripe-identity-overlay] iframe')

const outcomes = [
  ['verified', 'Verified', 'verified', null],
  ['processing', 'Processing', 'processing', null],
  ['document_unverified', 'Document unverified', 'requires_input', 'document_unverified_other'],
  ['document_expired', 'Document expired', 'requires_input', 'document_expired'],
  ['consent_declined', 'Consent declined', 'requires_input', 'consent_declined'],
  ['device_unsupported', 'Device unsupported', 'requires_input', 'device_not_supported'],
  ['under_supported_age', 'Under supported age', 'requires_input', 'under_supported_age'],
  ['close', 'Close', 'requires_input', null],
] as const

describe('the Stripe.js double in Chromium', () => {
  for (const [outcome, name, status, lastError] of outcomes) {
    it(`resolves Stripe's result when the tester picks "${name}"`, async () => {
      const session = await stripe.identity.verificationSessions.create({type: 'document'})
      const result = verifyInPage(session.client_secret!)
      const button = modal().getByRole('button', {name, exact: true})
      await button.click()
      const resolved = (await result) as {verificationSession?: {id: string}; error?: {type: string; code: string; message: string}}
      if (['verified', 'processing', 'document_unverified', 'document_expired'].includes(outcome)) {
        assert.deepEqual(resolved, {verificationSession: {id: session.id}})
      } else {
        const code = outcome === 'close' ? 'session_cancelled' : outcome
        assert.equal(resolved.error?.code, code)
        assert.equal(typeof resolved.error?.type, 'string')
        assert.ok(resolved.error!.message.length > 0)
      }
      assert.equal(await page.locator('[data-stripe-identity-overlay]').count(), 0, 'the overlay is removed')
      const after = await stripe.identity.verificationSessions.retrieve(session.id)
      assert.equal(after.status, status)
      assert.equal(after.last_error?.code ?? null, lastError)
    })
  }

  it('keeps the client secret out of the iframe URL and moves focus into the modal', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    const result = verifyInPage(session.client_secret!)
    await modal().getByRole('button', {name: 'Verified', exact: true}).waitFor()
    await page.waitForFunction(() => !document.querySelector<HTMLIFrameElement>('[data-stripe-identity-overlay] iframe')?.contentDocument)
    const src = await page.locator('[data-stripe-identity-overlay] iframe').getAttribute('src')
    assert.equal(src, `${emulator.url}/identity/modal`)
    assert.ok(!page.url().includes('secret'))
    const frame = page.frames().find((f) => f.url().startsWith(`${emulator.url}/identity/modal`))!
    await frame.waitForFunction(() => document.activeElement?.getAttribute('data-outcome') === 'verified')
    // Focus stays in the dialog: Shift+Tab from the first choice wraps to the last, Tab wraps back.
    await page.keyboard.press('Shift+Tab')
    assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-outcome')), 'close')
    await page.keyboard.press('Tab')
    assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-outcome')), 'verified')
    // Keyboard only: Tab to the next test case, Enter picks it.
    await page.keyboard.press('Tab')
    assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-outcome')), 'processing')
    await page.keyboard.press('Enter')
    assert.deepEqual(await result, {verificationSession: {id: session.id}})
  })

  it('resolves session_cancelled when the user presses Escape', async () => {
    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    const result = verifyInPage(session.client_secret!)
    await modal().getByRole('button', {name: 'Verified', exact: true}).waitFor()
    const frame = page.frames().find((f) => f.url().startsWith(`${emulator.url}/identity/modal`))!
    await frame.waitForFunction(() => document.activeElement?.tagName === 'BUTTON')
    await page.keyboard.press('Escape')
    assert.equal(((await result) as {error: {code: string}}).error.code, 'session_cancelled')
    assert.equal((await stripe.identity.verificationSessions.retrieve(session.id)).status, 'requires_input')
  })

  it('resolves an error for an invalid client secret and for a used one', async () => {
    const invalid = (await verifyInPage('vs_nope_secret_test_nope')) as {error: {type: string; code: string}}
    assert.equal(invalid.error.type, 'invalid_request_error')
    assert.equal(invalid.error.code, 'resource_missing')

    const session = await stripe.identity.verificationSessions.create({type: 'document'})
    const first = verifyInPage(session.client_secret!)
    await modal().getByRole('button', {name: 'Consent declined', exact: true}).click()
    await first
    const reused = (await verifyInPage(session.client_secret!)) as {error: {type: string; code: string}}
    assert.equal(reused.error.type, 'invalid_request_error')
    assert.equal(await page.locator('[data-stripe-identity-overlay]').count(), 0)
  })

  it('throws IntegrationError for a missing or secret key, and matches the version loadStripe expects', async () => {
    // A string, so the bundler adds nothing to the function that runs in the page.
    const errors = (await page.evaluate(`(() => {
      const attempt = (key) => { try { Stripe(key); return null } catch (err) { return err.name + ': ' + err.message } };
      return {missing: attempt(undefined), empty: attempt(''), secret: attempt('sk_test_123'), version: Stripe.version};
    })()`)) as {missing: string | null; empty: string | null; secret: string | null; version: string}
    assert.match(errors.missing!, /^IntegrationError: Please call Stripe\(\) with your publishable key/)
    assert.match(errors.empty!, /^IntegrationError: .*empty string/)
    assert.match(errors.secret!, /^IntegrationError: You should not use your secret key/)
    assert.equal(errors.version, 'endive')
  })

  it('loads without any console warning or error, and never injects js.stripe.com', async () => {
    assert.deepEqual(consoleMessages, [], consoleMessages.join('\n'))
    assert.equal(await page.locator('script[src^="https://js.stripe.com"]').count(), 0)
  })
})
