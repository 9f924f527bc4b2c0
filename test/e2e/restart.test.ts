import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {Outcome} from '../../emulator/test-cases.js'
import {demoSuite, eventually, newVisitor, type Visitor} from './demo-suite.js'

const suite = demoSuite()

/** Verifies with `outcome` and waits until the server has settled the session; returns what it answers. */
async function settle(visitor: Visitor, outcome: Outcome, state: string) {
  await visitor.page.goto(`${suite.server.url}/`)
  await visitor.page.locator('#verify').getByRole('button').click()
  await visitor.page.frameLocator('iframe').locator(`button[data-outcome="${outcome}"]`).click()
  await visitor.page.locator(`#status[data-state="${state}"]`).waitFor({timeout: 15_000})
  return eventually('the settled status', async () => {
    const response = await visitor.context.request.get(`${suite.server.url}/verification-session`)
    const body = await response.json()
    return body.status === state && body
  })
}

describe('a server restart', () => {
  it('keeps each visitor’s status: the store and the visitor cookie outlive the process', async () => {
    const verified = await newVisitor(suite.browser)
    const expired = await newVisitor(suite.browser)
    const stranger = await newVisitor(suite.browser)
    try {
      const before = {
        verified: await settle(verified, 'verified', 'verified'),
        expired: await settle(expired, 'document_expired', 'requires_input'),
      }
      assert.equal(before.expired.last_error?.code, 'document_expired')

      await suite.restart()

      for (const [visitor, answer] of [
        [verified, before.verified],
        [expired, before.expired],
      ] as const) {
        const response = await visitor.context.request.get(`${suite.server.url}/verification-session`)
        assert.equal(response.status(), 200)
        assert.deepEqual(await response.json(), answer)
        await visitor.page.goto(`${suite.server.url}/confirmation`)
        await visitor.page.locator(`#status[data-state="${answer.status}"]`).waitFor({timeout: 5000})
        assert.equal(await visitor.page.locator('#status-session').textContent(), answer.id)
      }

      // Someone who never verified still has nothing to show.
      await stranger.page.goto(`${suite.server.url}/confirmation`)
      await stranger.page.locator('#status[data-state="none"]').waitFor({timeout: 5000})
      assert.equal((await stranger.context.request.get(`${suite.server.url}/verification-session`)).status(), 204)
    } finally {
      await Promise.all([verified.close(), expired.close(), stranger.close()])
    }
  })
})
