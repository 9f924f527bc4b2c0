import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ELEMENT_EVENT_TYPES} from '../../demo/element-events.js'
import {accessibilityViolations, demoSuite, eventually} from './demo-suite.js'

const PAGES = ['/', '/confirmation', '/embed']

const suite = demoSuite()

describe('the demo pages', () => {
  it('send a strict Content-Security-Policy that allows only the emulator besides the site', async () => {
    for (const path of PAGES) {
      const response = await fetch(`${suite.server.url}${path}`)
      assert.equal(response.status, 200, path)
      const csp = response.headers.get('content-security-policy') ?? ''
      assert.match(csp, new RegExp(`script-src 'self' ${suite.server.emulatorUrl}(;|$)`), path)
      assert.match(csp, new RegExp(`frame-src ${suite.server.emulatorUrl}(;|$)`), path)
      assert.match(csp, /connect-src 'self'(;|$)/, path)
      assert.match(csp, /style-src 'self'(;|$)/, path)
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path)
      const html = await response.text()
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${path} has an inline script`)
      assert.doesNotMatch(html, /\sstyle=/, `${path} has an inline style`)
      assert.match(html, /<html lang="en">/)
    }
  })

  it('load the emulator’s Stripe.js before the element, and say they run in emulator mode', async () => {
    const html = await (await fetch(`${suite.server.url}/`)).text()
    const stripeJs = html.indexOf(`<script src="${suite.server.emulatorUrl}/stripe.js">`)
    assert.ok(stripeJs > 0, 'the page does not load the Stripe.js double')
    assert.ok(stripeJs < html.indexOf('<script type="module" src="/identity-verify.js">'))
    assert.match(html, /Emulator mode — test cases only/)
    assert.ok(html.includes(`href="${suite.server.emulatorUrl}/dashboard"`))
  })

  it('have no WCAG 2.1 AA violations and no CSP violations, on a laptop and on a phone', async () => {
    for (const viewport of [
      {width: 1280, height: 900},
      {width: 375, height: 740},
    ]) {
      await suite.visit(async (visitor) => {
        await visitor.page.setViewportSize(viewport)
        for (const path of PAGES) {
          await visitor.page.goto(`${suite.server.url}${path}`)
          // Checked once the element has rendered and the confirmation page has its answer.
          await visitor.page.evaluate(() => customElements.whenDefined('identity-verify'))
          await visitor.page.locator('#status[data-state="checking"]').waitFor({state: 'detached'})
          assert.deepEqual(await accessibilityViolations(visitor.page), [], `${path} at ${viewport.width}px`)
          const overflow = await visitor.page.evaluate(() => document.documentElement.scrollWidth - innerWidth)
          assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px at ${viewport.width}px`)
        }
      })
    }
  })

  it('log each element event in the panel on /', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/`)
      assert.deepEqual((await page.locator('#event-log').getAttribute('data-events'))?.split(' '), ELEMENT_EVENT_TYPES)
      // A cancelable start that a listener cancels still shows in the log, and nothing else happens.
      await page.evaluate(() => document.addEventListener('identity-verify-start', (e) => e.preventDefault(), {once: true}))
      await page.locator('#verify').getByRole('button').click()
      await page.locator('#event-log .log-entry[data-type="identity-verify-start"]').waitFor()
      assert.equal(await page.locator('#event-log .log-entry').count(), 1)
      assert.equal(await page.locator('iframe').count(), 0)
      assert.deepEqual(JSON.parse((await page.locator('#event-log .log-detail').textContent()) ?? ''), {})
      // Shown, but not read aloud line by line: one short summary is announced instead.
      assert.equal(await page.locator('#event-log').getAttribute('aria-live'), null)
      assert.equal(await page.locator('#event-log [aria-live]').count(), 0)
      const summary = page.locator('#event-summary')
      assert.equal(await summary.getAttribute('role'), 'status')
      await eventually('the summary', async () => (await summary.textContent()) === '1 new event in the log: start.')
      await page.getByRole('button', {name: 'Clear'}).click()
      assert.equal(await page.locator('#event-log .log-entry').count(), 0)
      assert.ok(await page.locator('#event-log .log-empty').isVisible())
    })
  })

  it('serve the element’s language modules, so it speaks the language of its page', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/`)
      await page.evaluate(() => {
        const french = document.createElement('identity-verify')
        french.id = 'french'
        french.lang = 'fr'
        document.querySelector('main')!.append(french)
      })
      await page.locator('#french').getByRole('button', {name: 'Vérifier votre identité'}).waitFor({timeout: 5000})
    })
  })

  it('offer on /embed a snippet that copies exactly as shown and names this server', async () => {
    const context = await suite.browser.newContext({permissions: ['clipboard-read', 'clipboard-write']})
    try {
      const page = await context.newPage()
      await page.goto(`${suite.server.url}/embed`)
      const snippet = await page.locator('#snippet-embed').textContent()
      assert.match(snippet ?? '', new RegExp(`<script type="module" src="${suite.server.url}/[^"]*identity-verify\\.js"></script>`))
      assert.ok(snippet?.includes('publishable-key="pk_test_emulator"'))
      assert.ok(snippet?.includes(`endpoint="${suite.server.url}/create-verification-session"`))
      assert.ok(snippet?.includes(`status-endpoint="${suite.server.url}/verification-session"`))
      await page.locator('button[data-copy="snippet-embed"]').click()
      await page.getByRole('button', {name: 'Copied'}).waitFor()
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet)
      for (const type of ELEMENT_EVENT_TYPES) assert.ok(await page.getByRole('rowheader', {name: type}).isVisible(), type)
    } finally {
      await context.close()
    }
  })
})
