import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {FAILED_CHECKS, MODAL_ERRORS, TEST_CASES, type Outcome} from '../../emulator/test-cases.js'
import {VERIFICATION_EVENT_TYPES, type VerificationStatus} from '../../protocol/verification-status.js'
import {chooseInModal, demoSuite, eventually, type RecordedEvent, type Visitor} from './demo-suite.js'

/** What a visitor and the server end up with after choosing a test case in Stripe's window. */
interface Expectation {
  /** The element events, in order. */
  events: string[]
  /** Where the visitor ends: the confirmation page for a submission, the same page otherwise. */
  landsOn: '/confirmation' | '/'
  /** The status the server confirms in the end, and its `last_error.code`. */
  status: VerificationStatus
  lastError: string | null
  /** The statuses the session enters after its creation, each announced by a webhook. */
  via: VerificationStatus[]
}

const submitted = ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted']
const failed = ['identity-verify-start', 'identity-verify-open', 'identity-verify-error']

// Keyed by the emulator's own list, so a new test case cannot go untested.
const EXPECTED: Record<Outcome, Expectation> = {
  verified: {events: submitted, landsOn: '/confirmation', status: 'verified', lastError: null, via: ['processing', 'verified']},
  processing: {events: submitted, landsOn: '/confirmation', status: 'verified', lastError: null, via: ['processing', 'verified']},
  document_unverified: {
    events: submitted,
    landsOn: '/confirmation',
    status: 'requires_input',
    lastError: FAILED_CHECKS.document_unverified.code,
    via: ['processing', 'requires_input'],
  },
  document_expired: {
    events: submitted,
    landsOn: '/confirmation',
    status: 'requires_input',
    lastError: FAILED_CHECKS.document_expired.code,
    via: ['processing', 'requires_input'],
  },
  consent_declined: {events: failed, landsOn: '/', status: 'requires_input', lastError: MODAL_ERRORS.consent_declined.lastErrorCode, via: ['requires_input']},
  device_unsupported: {events: failed, landsOn: '/', status: 'requires_input', lastError: MODAL_ERRORS.device_unsupported.lastErrorCode, via: ['requires_input']},
  under_supported_age: {events: failed, landsOn: '/', status: 'requires_input', lastError: MODAL_ERRORS.under_supported_age.lastErrorCode, via: ['requires_input']},
  close: {events: ['identity-verify-start', 'identity-verify-open', 'identity-verify-cancel'], landsOn: '/', status: 'requires_input', lastError: null, via: []},
}

const suite = demoSuite()

/** The webhook event types the server recorded for a session, read from its SQLite file. */
function recordedEventTypes(sessionId: string): string[] {
  const db = new Database(suite.server.databasePath, {readonly: true, fileMustExist: true})
  try {
    const rows = db.prepare('SELECT type FROM events WHERE session_id = ? ORDER BY created, received_at').all(sessionId) as {type: string}[]
    return rows.map((row) => row.type)
  } finally {
    db.close()
  }
}

/** `GET /verification-session` as the visitor's browser sends it, cookie included. */
async function serverStatus(visitor: Visitor): Promise<{status: number; body: Record<string, unknown>}> {
  const response = await visitor.context.request.get(`${suite.server.url}/verification-session`)
  return {status: response.status(), body: await response.json()}
}

function sessionIdOf(events: RecordedEvent[]): string {
  const open = events.find((event) => event.type === 'identity-verify-open')
  assert.ok(open, 'no identity-verify-open event')
  const sessionId = open.detail.sessionId
  assert.ok(typeof sessionId === 'string' && /^vs_\w+$/.test(sessionId), `sessionId ${String(sessionId)}`)
  return sessionId
}

describe('each test case, chosen in Stripe’s window on the demo page', () => {
  for (const {outcome} of TEST_CASES) {
    const expected = EXPECTED[outcome]
    it(`${outcome}: ${expected.events.at(-1)}, ends on ${expected.landsOn} with ${expected.status}${expected.lastError ? ` (${expected.lastError})` : ''}`, async () => {
      await suite.visit(async (visitor) => {
        const {page, events} = visitor
        await page.goto(`${suite.server.url}/`)
        await chooseInModal(visitor, '#verify', outcome)

        // The DOM events, in order, from the onboarding element, none holding the client secret.
        await eventually(`${expected.events.at(-1)}`, () => events.some((e) => e.type === expected.events.at(-1)))
        assert.deepEqual(
          events.map((e) => e.type),
          expected.events,
        )
        assert.ok(events.every((e) => e.target === '#verify' && e.path === '/'))
        const sessionId = sessionIdOf(events)
        for (const event of events.slice(1)) assert.equal(event.detail.sessionId, sessionId, event.type)
        assert.doesNotMatch(JSON.stringify(events), /_secret_/)

        if (expected.landsOn === '/confirmation') {
          // The element takes the visitor to the confirmation page, which shows what the server confirms.
          await page.waitForURL(`${suite.server.url}/confirmation`)
          if (outcome === 'processing') {
            // The page shows the checks in progress before the result.
            await page.locator('#status[data-state="processing"]').waitFor({timeout: 10_000})
          }
          await page.locator(`#status[data-state="${expected.status}"]`).waitFor({timeout: 15_000})
          assert.equal(await page.locator('#status-session').textContent(), sessionId)
          if (expected.lastError) {
            assert.equal(await page.locator('#status-reason').getAttribute('data-code'), expected.lastError)
            assert.ok(await page.locator('#status-reason').isVisible())
            assert.ok(await page.locator('#retry identity-verify').getByRole('button', {name: 'Try again'}).isVisible())
          } else {
            assert.equal(await page.locator('#retry').isVisible(), false)
          }
          // A reload asks the server again and shows the same status.
          await page.reload()
          await page.locator(`#status[data-state="${expected.status}"]`).waitFor({timeout: 5000})
          assert.equal(await page.locator('#status-session').textContent(), sessionId)
        } else {
          // The visitor stays on the page; the element says what happened, the event log shows it.
          assert.equal(new URL(page.url()).pathname, '/')
          const last = events.at(-1)!
          const state = outcome === 'close' ? 'canceled' : 'error'
          await page.locator(`#verify[state="${state}"]`).waitFor({state: 'attached', timeout: 5000})
          const message = (await page.locator('#verify').locator('[part="message"]').textContent())?.trim()
          assert.ok(message, 'the element shows no message')
          if (last.type === 'identity-verify-error') {
            assert.equal(last.detail.code, MODAL_ERRORS[outcome as keyof typeof MODAL_ERRORS].modalCode)
            assert.equal(last.detail.message, message)
          }
          await page.locator(`#event-log .log-entry[data-type="${last.type}"]`).waitFor()
          assert.match((await page.locator('#event-log .log-entry').first().textContent()) ?? '', new RegExp(sessionId))
        }

        // The server recorded the webhooks of every status the session went through.
        const types = [VERIFICATION_EVENT_TYPES.created, ...expected.via.map((status) => VERIFICATION_EVENT_TYPES[status])]
        const recorded = await eventually('the webhooks in the store', () => {
          const found = recordedEventTypes(sessionId)
          return types.every((type) => found.includes(type)) && found
        })
        // …and no other: a session that failed was never verified, a closed window changed nothing.
        assert.deepEqual([...new Set(recorded)].sort(), [...new Set(types)].sort())

        // GET /verification-session with the browser's cookie answers the same status, and nothing secret.
        const answer = await eventually('the confirmed status', async () => {
          const answer = await serverStatus(visitor)
          return answer.body.status === expected.status && (answer.body.last_error !== null) === (expected.lastError !== null) && answer
        })
        assert.equal(answer.status, 200)
        assert.deepEqual(answer.body, {id: sessionId, status: expected.status, last_error: expected.lastError && {code: expected.lastError}})

        // The emulator's dashboard lists the session with its status, and shows each event delivered (HTTP 200).
        await page.goto(`${suite.server.emulatorUrl}/dashboard`)
        const row = page.getByRole('row').filter({hasText: sessionId})
        assert.equal(await row.locator('.status').textContent(), expected.status)
        await row.getByRole('link').click()
        assert.equal(await page.locator('dt:text-is("Status") + dd').textContent(), expected.status)
        const lastError = page.locator('dt:text-is("Last error") + dd code')
        assert.equal((await lastError.count()) ? await lastError.textContent() : null, expected.lastError)
        for (const type of types) {
          await eventually(`${type} delivered`, async () => {
            await page.reload()
            return /HTTP 200/.test((await page.getByRole('row').filter({hasText: type}).textContent()) ?? '')
          })
        }
      })
    })
  }
})

describe('the demo page', () => {
  it('shows the themed element’s own confirmation and follows the status to verified', async () => {
    await suite.visit(async (visitor) => {
      const {page, events} = visitor
      await page.goto(`${suite.server.url}/`)
      await chooseInModal(visitor, 'identity-verify.themed', 'verified')
      const sessionId = sessionIdOf(events)
      await eventually('the verified status event', () => events.some((e) => e.type === 'identity-verify-status' && e.detail.status === 'verified'))
      const statuses = events.filter((e) => e.type === 'identity-verify-status').map((e) => e.detail)
      assert.deepEqual(statuses.at(-1), {sessionId, status: 'verified', lastError: null})
      assert.equal(new URL(page.url()).pathname, '/')
      await page.locator('identity-verify.themed[state="verified"]').waitFor({state: 'attached', timeout: 5000})
      assert.match((await page.locator('identity-verify.themed [part="message"]').textContent()) ?? '', /verified/)
      assert.ok(events.every((e) => e.target === '.themed'))
      assert.ok(await page.locator('#event-log .log-entry[data-type="identity-verify-status"]').first().isVisible())
    })
  })

  it('lets a visitor whose document expired try again from the confirmation page and get verified', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/`)
      await chooseInModal(visitor, '#verify', 'document_expired')
      await page.locator('#status[data-state="requires_input"]').waitFor({timeout: 15_000})
      const first = await page.locator('#status-session').textContent()

      await chooseInModal(visitor, '#retry identity-verify', 'verified')
      await page.locator('#status[data-state="verified"]').waitFor({timeout: 15_000})
      // The server hands back the session that needs input, as Stripe recommends, so it is the same one.
      assert.equal(await page.locator('#status-session').textContent(), first)
      assert.deepEqual((await serverStatus(visitor)).body, {id: first, status: 'verified', last_error: null})
    })
  })

  it('shows a verification the site canceled as canceled', async () => {
    await suite.visit(async (visitor) => {
      const {page, events} = visitor
      await page.goto(`${suite.server.url}/`)
      await chooseInModal(visitor, '#verify', 'close')
      const sessionId = sessionIdOf(events)
      // The site cancels the session through Stripe's API (here the emulator's), as a support agent would.
      const canceled = await fetch(`${suite.server.emulatorUrl}/v1/identity/verification_sessions/${sessionId}/cancel`, {
        method: 'POST',
        headers: {authorization: 'Bearer sk_test_emulator'},
      })
      assert.equal(canceled.status, 200)
      await eventually('the canceled status', async () => (await serverStatus(visitor)).body.status === 'canceled')
      await page.goto(`${suite.server.url}/confirmation`)
      await page.locator('#status[data-state="canceled"]').waitFor({timeout: 5000})
      assert.equal(await page.locator('#retry').isVisible(), false)
    })
  })

  it('can be completed with the keyboard alone', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/`)
      await page.locator('#verify').getByRole('button').focus()
      await page.keyboard.press('Enter')
      // The window takes the focus; Tab moves between the test cases, Enter picks one.
      const modal = page.frameLocator('iframe')
      await modal.locator('button[data-outcome="verified"]:focus').waitFor()
      await page.keyboard.press('Tab')
      await modal.locator('button[data-outcome="processing"]:focus').waitFor()
      await page.keyboard.press('Shift+Tab')
      await page.keyboard.press('Enter')
      await page.waitForURL(`${suite.server.url}/confirmation`)
      await page.locator('#status[data-state="verified"]').waitFor({timeout: 15_000})
    })
  })

  it('never writes a client secret to the server’s output', () => {
    assert.ok(suite.server.output().length > 0)
    assert.doesNotMatch(suite.server.output(), /vs_\w+_secret_\w+/)
  })
})
