import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {accessibilityViolations, chooseInModal, demoSuite, type Visitor} from './demo-suite.js'

// The element's outcomes on the demo's pages, as a visitor meets them: each looks its own, and none
// brings a serious or critical accessibility violation, on a laptop or a phone.
const suite = demoSuite()

/** Fails with axe-core's serious and critical findings on the page, at 1280 and 390 px wide. */
async function assertAccessibleAtBothWidths(visitor: Visitor, what: string): Promise<void> {
  for (const width of [1280, 390]) {
    await visitor.page.setViewportSize({width, height: 900})
    assert.deepEqual(await accessibilityViolations(visitor.page, {seriousOnly: true}), [], `${what} at ${width} px`)
  }
}

describe('the element’s outcomes on the demo pages', () => {
  for (const [outcome, state, button] of [
    ['verified', 'verified', null],
    ['document_unverified', 'requires-input', 'Try again'],
    ['consent_declined', 'error', 'Try again'],
  ] as const) {
    it(`show ${outcome} on / as ${state}, with its mark${button ? ' and "Try again" focused' : ''}, and no serious accessibility violation`, async () => {
      await suite.visit(async (visitor) => {
        const {page} = visitor
        await page.goto(`${suite.server.url}/`)
        await chooseInModal(visitor, 'identity-verify.themed', outcome)
        const element = page.locator(`identity-verify.themed[state="${state}"]`)
        await element.waitFor({state: 'attached', timeout: 15_000})
        const mark = element.locator('[part="mark"]')
        assert.equal(await mark.getAttribute('aria-hidden'), 'true')
        assert.equal(await mark.evaluate((node) => getComputedStyle(node).display), 'inline-block')
        if (button) {
          const retry = element.getByRole('button', {name: button})
          await retry.waitFor()
          assert.ok(await retry.evaluate((node) => node.getRootNode() instanceof ShadowRoot && (node.getRootNode() as ShadowRoot).activeElement === node), 'the button has focus')
        }
        await assertAccessibleAtBothWidths(visitor, `/ with ${state}`)
      })
    })
  }

  it('show a document that could not be verified on /confirmation, with its way to try again, and no serious accessibility violation', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/`)
      await chooseInModal(visitor, '#verify', 'document_unverified')
      await page.locator('#status[data-state="requires_input"]').waitFor({timeout: 15_000})
      await page.locator('#retry identity-verify').getByRole('button').waitFor()
      await assertAccessibleAtBothWidths(visitor, '/confirmation with requires_input')
      // Back on the first page, the element there shows why, as after the failure itself.
      await page.goto(`${suite.server.url}/`)
      const returning = page.locator('#verify[state="requires-input"]')
      await returning.waitFor({state: 'attached', timeout: 5000})
      assert.match((await returning.locator('[part="message"]').textContent()) ?? '', /could not verify your document/)
      await returning.getByRole('button', {name: 'Try again'}).waitFor()
      await assertAccessibleAtBothWidths(visitor, '/ for a returning visitor whose attempt failed')
    })
  })
})
