import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {accessibilityViolations, demoSuite} from './demo-suite.js'

// The emulator's dashboard, as `npm start` serves it, read on a desktop and on a 390 px phone.
const suite = demoSuite()

describe('the emulator’s dashboard', () => {
  it('reads at 1280 and 390 px without sideways scroll or serious accessibility violations, its rows still a table', async () => {
    // A session made through the server, as a visitor's click makes one.
    const created = await fetch(`${suite.server.url}/create-verification-session`, {method: 'POST', headers: {Origin: suite.server.url}})
    assert.equal(created.status, 200)
    const sessionId = ((await created.json()) as {client_secret: string}).client_secret.split('_secret_')[0]!
    await suite.visit(async ({page}) => {
      for (const width of [1280, 390]) {
        await page.setViewportSize({width, height: 900})
        for (const path of ['/dashboard', `/dashboard/sessions/${sessionId}`]) {
          await page.goto(`${suite.server.emulatorUrl}${path}`)
          assert.deepEqual(await accessibilityViolations(page, {seriousOnly: true}), [], `${path} at ${width} px`)
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${path} scrolls sideways at ${width} px`)
        }
        await page.goto(`${suite.server.emulatorUrl}/dashboard`)
        const row = page.getByRole('row').filter({hasText: sessionId})
        // Each cell keeps its column's name for a screen reader, in a table that stays one.
        assert.equal(await page.getByRole('columnheader', {name: 'Client reference'}).count(), 1)
        assert.equal(await row.getByRole('cell').count(), 5)
        const link = row.getByRole('link', {name: sessionId})
        const box = (await link.boundingBox())!
        assert.ok(box.x >= 0 && box.x + box.width <= width, `the session's link shows whole at ${width} px`)
      }
    })
  })
})
