import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {demoSuite, eventually, sessionsAtStripe as sessionsAtStripeOf} from './demo-suite.js'

// A client secret fetched on intent is the session the click would get: a visitor who comes back
// and shows intent again is handed the same open session, so Stripe holds one, not one per view.

const suite = demoSuite()

const sessionsAtStripe = () => sessionsAtStripeOf(suite.server)

describe('prefetch on intent', () => {
  it('leaves one session at Stripe for five page views of one visitor resting the pointer on the button, and the click then opens it with no request', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      const creates: string[] = []
      page.on('request', (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/create-verification-session' && creates.push(request.url()))
      const before = await sessionsAtStripe()
      for (let view = 1; view <= 5; view++) {
        await page.goto(`${suite.server.url}/`)
        await page.locator('#verify').getByRole('button').hover()
        await eventually(`the prefetch of view ${view}`, () => creates.length === view)
        await page.waitForLoadState('networkidle')
      }
      assert.equal((await sessionsAtStripe()) - before, 1)
      assert.ok(!visitor.events.some((event) => event.type.startsWith('identity-verify-') && event.type !== 'identity-verify-status'), 'no event before a click')

      await page.locator('#verify').getByRole('button').click()
      await page.frameLocator('iframe').locator('button[data-outcome="verified"]').waitFor()
      assert.equal(creates.length, 5, 'the click made no request of its own')
      assert.equal((await sessionsAtStripe()) - before, 1)
    })
  })
})
