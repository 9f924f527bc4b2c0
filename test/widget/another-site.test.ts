// The element on a page of another site than its server: the server's cookie would be a blocked
// third-party one, so the visitor is known by the credential the server hands out, which the element
// keeps in the page's storage and sends back. The server here is the test server on another origin.
import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, messageOf, mount, otherOrigin, record, serverLog, sleep, statusAsked, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'

installStripeDouble()

const KEY = 'pk_test_another_site'
const STORAGE_KEY = `identity-verify-visitor:${otherOrigin}`

/** Mounts an element with only a publishable key and absolute endpoints on the other origin. */
function mountElsewhere(name: string, session: string, status: {answers: string; query: string}) {
  const urls = endpoints(name, session, otherOrigin)
  return mount({'publishable-key': KEY, endpoint: urls.session, 'status-endpoint': urls.status(status.answers, status.query)})
}

describe('<identity-verify> on another site than its server', () => {
  let events: ReturnType<typeof record>
  beforeEach(() => {
    localStorage.clear()
    events = record()
  })
  afterEach(() => {
    events.stop()
    cleanUp()
    localStorage.clear()
  })

  describe('the visitor credential', () => {
    it('is kept from the server’s answer and sent back on both requests, with no cookie', async () => {
      document.cookie = 'site=shop; path=/'
      const name = uniqueName()
      const element = mountElsewhere(name, 'visitor=credential-1', {answers: 'processing,verified', query: 'visitor=credential-1'})
      // Nothing kept yet: the ask on connect goes without a credential, and the server does not know the visitor.
      await statusAsked(name)
      await element.start()
      equal(localStorage.getItem(STORAGE_KEY), 'credential-1')
      await waitFor(() => element.state === 'verified', 'verified', 6000)
      const log = await serverLog(name)
      equal(log.sessions[0].visitor, '', 'the first POST has no credential to send')
      equal(log.sessions[0].cookie, '')
      deepEqual(log.statusVisitors, ['', 'credential-1', 'credential-1'])
      deepEqual(
        events.seen.map((event) => event.type),
        ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted', 'identity-verify-status', 'identity-verify-status'],
      )
    })

    it('is replaced by a renewed one from a status answer, which is sent next', async () => {
      localStorage.setItem(STORAGE_KEY, 'credential-old')
      const name = uniqueName()
      const element = mountElsewhere(name, '', {answers: 'processing,processing,verified', query: 'visitor=credential-old&renew=credential-new'})
      await statusAsked(name)
      await element.start()
      await waitFor(() => element.state === 'verified', 'verified', 6000)
      equal(localStorage.getItem(STORAGE_KEY), 'credential-new')
      const log = await serverLog(name)
      equal(log.sessions[0].visitor, 'credential-new')
      deepEqual(log.statusVisitors, ['credential-old', 'credential-new', 'credential-new', 'credential-new'])
    })

    it('goes only to the server that gave it', async () => {
      localStorage.setItem(STORAGE_KEY, 'credential-elsewhere')
      const name = uniqueName()
      const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session})
      await element.start()
      equal((await serverLog(name)).sessions[0].visitor, '')
    })

    it('is kept in memory for the page when storage throws, and nothing throws', async () => {
      const descriptor = Object.getOwnPropertyDescriptor(window, 'localStorage')!
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('The user denied storage', 'SecurityError')
        },
      })
      try {
        // The page's own origin, whose credential no other test has put in memory.
        const name = uniqueName()
        const urls = endpoints(name, 'visitor=credential-memory')
        const element = mount({
          'publishable-key': KEY,
          endpoint: urls.session,
          'status-endpoint': urls.status('processing,verified', 'visitor=credential-memory'),
        })
        await statusAsked(name)
        await element.start()
        await waitFor(() => element.state === 'verified', 'verified', 6000)
        deepEqual((await serverLog(name)).statusVisitors, ['', 'credential-memory', 'credential-memory'])
        equal(events.seen.filter((event) => event.type === 'identity-verify-error').length, 0)
      } finally {
        Object.defineProperty(window, 'localStorage', descriptor)
      }
      equal(localStorage.length, 0, 'nothing reached storage')
    })
  })

  describe('a returning visitor', () => {
    it('is asked about once on connect, with the kept credential, and shown as verified', async () => {
      localStorage.setItem(STORAGE_KEY, 'credential-returning')
      const name = uniqueName()
      const element = mountElsewhere(name, '', {answers: 'verified', query: 'returning=1&visitor=credential-returning'})
      await waitFor(() => element.state === 'verified', 'verified')
      deepEqual(events.seen, [{type: 'identity-verify-status', detail: {sessionId: `vs_${name}`, status: 'verified', lastError: null}}])
      await element.updateComplete
      equal(buttonOf(element), null)
      equal(messageOf(element).textContent, en.verified)
      await sleep(700)
      deepEqual((await serverLog(name)).statusVisitors, ['credential-returning'])
    })

    it('sees a session still processing as submitted, followed to verified', async () => {
      localStorage.setItem(STORAGE_KEY, 'credential-processing')
      const name = uniqueName()
      const element = mountElsewhere(name, '', {answers: 'processing,verified', query: 'returning=1&visitor=credential-processing'})
      await waitFor(() => element.state === 'submitted', 'submitted')
      await element.updateComplete
      equal(messageOf(element).textContent, en.submitted)
      await waitFor(() => element.state === 'verified', 'verified')
      deepEqual(
        events.seen.map((event) => (event.detail as {status: string}).status),
        ['processing', 'verified'],
      )
    })

    it('whose last attempt failed sees why and a button to try again, which leaves focus where the page put it', async () => {
      const name = uniqueName()
      const element = mountElsewhere(name, '', {answers: 'requires_input:document_expired', query: 'returning=1'})
      await waitFor(() => element.state === 'requires-input', 'requires-input')
      deepEqual(events.seen, [{type: 'identity-verify-status', detail: {sessionId: `vs_${name}`, status: 'requires_input', lastError: {code: 'document_expired'}}}])
      await element.updateComplete
      // The same reason as after a live failure.
      equal(messageOf(element).textContent, en.document_expired)
      equal(buttonOf(element)!.textContent, en.retry)
      equal(element.shadowRoot!.activeElement, null)
      // A failed attempt is no submission for the element's form.
      equal(element.value, '')
    })

    for (const [what, status] of [
      ['nothing to show yet (204)', {answers: 'verified', query: ''}],
      ['an unknown visitor (401)', {answers: 'verified', query: 'returning=1&visitor=someone-else'}],
      ['a session waiting for documents', {answers: 'requires_input', query: 'returning=1'}],
      ['a canceled session', {answers: 'canceled', query: 'returning=1'}],
    ] as const) {
      it(`finds the button idle and no event, with ${what}`, async () => {
        const name = uniqueName()
        const element = mountElsewhere(name, '', status)
        await statusAsked(name)
        await sleep(700)
        equal(element.state, 'idle')
        deepEqual(events.seen, [])
        await element.updateComplete
        ok(buttonOf(element), 'the button is there')
        equal(messageOf(element).textContent, '')
        equal((await serverLog(name)).statusRequests, 1)
      })
    }
  })
})
