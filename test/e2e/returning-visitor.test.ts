import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {Page} from 'playwright-core'
import {demoSuite, eventually, sessionsAtStripe as sessionsAtStripeOf, type Visitor} from './demo-suite.js'

// A person who is verified stays verified: coming back shows it without a click, and asking again
// makes no new session; a person whose documents are being checked gets no second one either.

const suite = demoSuite()

const sessionsAtStripe = () => sessionsAtStripeOf(suite.server)

/** Submits `outcome` in Stripe's window from the restyled element, which stays on the page. */
async function submitFromThemed(page: Page, outcome: 'verified' | 'processing'): Promise<void> {
  await page.goto(`${suite.server.url}/`)
  await page.locator('identity-verify.themed').getByRole('button').click()
  await page.frameLocator('iframe').locator(`button[data-outcome="${outcome}"]`).click()
}

const stateOf = (page: Page, selector: string) => page.locator(selector).getAttribute('state')
const statusEvents = (visitor: Visitor, target: string) =>
  visitor.events.filter((event) => event.type === 'identity-verify-status' && event.target === target).map((event) => event.detail.status)

describe('a new visitor', () => {
  it('finds the buttons idle on the first page, whose status asked on connect answers 204, with no error on the console', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      const errors: string[] = []
      // The browser's own request for a favicon is not the page's.
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`${message.text()} (${message.location().url})`)
      })
      const statuses: number[] = []
      page.on('response', (response) => new URL(response.url()).pathname === '/verification-session' && statuses.push(response.status()))
      await page.goto(`${suite.server.url}/`)
      await page.waitForLoadState('networkidle')
      assert.ok(statuses.length > 0, 'the elements asked for the status')
      assert.deepEqual([...new Set(statuses)], [204])
      for (const element of ['#verify', 'identity-verify.themed']) assert.equal(await stateOf(page, element), 'idle')
      assert.ok(!visitor.events.some((event) => event.type === 'identity-verify-status' || event.type === 'identity-verify-error'), 'no event')
      assert.deepEqual(errors, [], 'no error on the console')
    })
  })
})

describe('a returning visitor', () => {
  it('who is verified sees it on page load without a click, and asking again makes no new session', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await submitFromThemed(page, 'verified')
      await eventually('the verified state', async () => (await stateOf(page, 'identity-verify.themed')) === 'verified')
      const sessionId = visitor.events.find((event) => event.type === 'identity-verify-submitted')!.detail.sessionId

      visitor.events.length = 0
      await page.reload()
      for (const element of ['#verify', 'identity-verify.themed']) {
        await eventually(`${element} verified on load`, async () => (await stateOf(page, element)) === 'verified')
      }
      assert.equal(await page.locator('#verify').getByRole('button').count(), 0, 'no button to click')
      assert.ok(!visitor.events.some((event) => event.type === 'identity-verify-start'), 'nothing was clicked')
      assert.deepEqual(statusEvents(visitor, '#verify'), ['verified'])

      // `start()` does what a click does: the server answers 409 already_verified, nothing new is
      // made, and the element goes to its return-url, the confirmation page, as after a submission.
      const before = await sessionsAtStripe()
      visitor.events.length = 0
      await page.evaluate(() => document.querySelector('identity-verify')!.start())
      await page.waitForURL(`${suite.server.url}/confirmation`)
      const fromOnboarding = visitor.events.filter((event) => event.path === '/')
      assert.deepEqual(
        fromOnboarding.map((event) => event.type),
        ['identity-verify-start', 'identity-verify-status'],
      )
      assert.deepEqual(fromOnboarding[1]!.detail, {sessionId, status: 'verified', lastError: null})
      await page.locator('#status[data-state="verified"]').waitFor({timeout: 10_000})
      assert.equal(await sessionsAtStripe(), before)
      const status = await visitor.context.request.get(`${suite.server.url}/verification-session`)
      assert.deepEqual(await status.json(), {id: sessionId, status: 'verified', last_error: null})
    })
  })

  it('whose documents are being checked gets no second session, and sees the result arrive', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await submitFromThemed(page, 'processing')
      await eventually('processing confirmed', () => visitor.events.some((event) => event.type === 'identity-verify-status' && event.detail.status === 'processing'))
      const before = await sessionsAtStripe()
      // The onboarding element, on the same page, asked now: 409 verification_processing, then it follows.
      await page.evaluate(() => {
        const element = document.querySelector('#verify') as HTMLElement & {returnUrl?: string; start(): Promise<void>}
        element.returnUrl = undefined // stay on the page to watch it follow
        return element.start()
      })
      await eventually('#verify verified', async () => (await stateOf(page, '#verify')) === 'verified', 20_000)
      const events = visitor.events.filter((event) => event.target === '#verify')
      assert.ok(!events.some((event) => ['identity-verify-open', 'identity-verify-error'].includes(event.type)), events.map((e) => e.type).join(', '))
      assert.deepEqual(statusEvents(visitor, '#verify').slice(-1), ['verified'])
      assert.equal(await sessionsAtStripe(), before)
    })
  })
})
