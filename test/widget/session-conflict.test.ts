// A click for a user whose verification answers for them already: the server's 409 `already_verified`
// or `verification_processing` is where the user stands, shown as such, not an error.
import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, messageOf, mount, record, serverLog, sleep, statusAsked, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'

installStripeDouble()

const KEY = 'pk_test_conflict'

const VERIFIED = 'status=409&code=already_verified&session=verified'
const PROCESSING = 'status=409&code=verification_processing&session=processing'

describe('<identity-verify> for a user verified or being checked already', () => {
  let events: ReturnType<typeof record>
  let modalsBefore: number
  beforeEach(() => {
    events = record()
    modalsBefore = stripeDouble.secrets.length
  })
  afterEach(() => {
    events.stop()
    cleanUp()
  })

  /**
   * Mounts an element whose endpoint answers as `query` says, with `status-endpoint` answering
   * `statusAnswers` when given (its ask on connect answers 204: no session yet), and clicks it.
   */
  async function click(query: string, {statusAnswers = '', returnUrl = ''} = {}) {
    const name = uniqueName()
    const urls = endpoints(name, query)
    const element = mount({
      'publishable-key': KEY,
      endpoint: urls.session,
      ...(statusAnswers && {'status-endpoint': urls.status(statusAnswers)}),
      ...(returnUrl && {'return-url': returnUrl}),
    })
    const visited: string[] = []
    element.navigate = (url) => visited.push(url)
    if (statusAnswers) await statusAsked(name)
    await element.updateComplete
    buttonOf(element)!.focus()
    buttonOf(element)!.click()
    await waitFor(() => events.seen.length >= 2, 'start and another event')
    await element.updateComplete
    return {name, element, visited, sessionId: `vs_${name}`}
  }

  const modalsOpened = () => stripeDouble.secrets.length - modalsBefore

  it('shows a verified user as verified, with start then status and no modal', async () => {
    const {element, sessionId} = await click(VERIFIED)
    deepEqual(events.seen, [
      {type: 'identity-verify-start', detail: {}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'verified', lastError: null}},
    ])
    equal(element.state, 'verified')
    equal(element.getAttribute('state'), 'verified')
    equal(buttonOf(element), null)
    equal(messageOf(element).textContent, en.verified)
    equal(element.shadowRoot!.activeElement, messageOf(element), 'focus moved to the message that replaced the button')
    await sleep(100)
    equal(events.seen.length, 2, 'no error, open or submitted event')
    equal(modalsOpened(), 0)
  })

  it('asks nothing more of status-endpoint for a verified user', async () => {
    const {name, element} = await click(VERIFIED, {statusAnswers: 'verified'})
    equal(element.state, 'verified')
    await sleep(700)
    equal((await serverLog(name)).statusRequests, 1, 'only the ask on connect')
    equal(events.seen.length, 2)
  })

  it('shows a user being checked the confirmation, with start then status and no modal, and stays so without status-endpoint', async () => {
    const {element, sessionId} = await click(PROCESSING)
    deepEqual(events.seen, [
      {type: 'identity-verify-start', detail: {}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'processing', lastError: null}},
    ])
    equal(element.getAttribute('state'), 'submitted')
    equal(buttonOf(element), null)
    equal(messageOf(element).textContent, en.submitted)
    equal(element.shadowRoot!.activeElement, messageOf(element))
    await sleep(700)
    equal(element.state, 'submitted')
    equal(events.seen.length, 2)
    equal(modalsOpened(), 0)
  })

  it('shows the submitted slot to a user being checked', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name, PROCESSING).session})
    element.insertAdjacentHTML('beforeend', '<p slot="submitted">We will email you.</p>')
    await element.start()
    await element.updateComplete
    equal(element.state, 'submitted')
    ok(element.querySelector('p')!.checkVisibility(), 'the submitted slot is shown')
  })

  it('follows a user being checked to verified with status-endpoint', async () => {
    const {element, sessionId} = await click(PROCESSING, {statusAnswers: 'processing,verified'})
    equal(element.state, 'submitted')
    await waitFor(() => element.state === 'verified', 'verified', 6000)
    deepEqual(events.seen, [
      {type: 'identity-verify-start', detail: {}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'processing', lastError: null}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'verified', lastError: null}},
    ])
    await element.updateComplete
    equal(messageOf(element).textContent, en.verified)
    equal(modalsOpened(), 0)
  })

  it('follows a user being checked to requires-input at once, and lets them try again', async () => {
    const {name, element, sessionId} = await click(PROCESSING, {statusAnswers: 'requires_input:document_expired'})
    // The session was processing when the server answered: a last_error after it is this attempt's.
    await waitFor(() => element.state === 'requires-input', 'requires-input', 2000)
    deepEqual(events.seen.at(-1), {
      type: 'identity-verify-status',
      detail: {sessionId, status: 'requires_input', lastError: {code: 'document_expired'}},
    })
    await element.updateComplete
    equal(messageOf(element).textContent, en.document_expired)
    element.endpoint = endpoints(name).session
    buttonOf(element)!.click()
    await waitFor(() => events.seen.at(-1)!.type === 'identity-verify-submitted', 'a submission')
    equal(modalsOpened(), 1)
  })

  for (const [what, query, state] of [
    ['verified', VERIFIED, 'verified'],
    ['being checked', PROCESSING, 'submitted'],
  ] as const) {
    it(`takes a user ${what} on to return-url, as after a submission, and follows no status`, async () => {
      const {name, element, visited, sessionId} = await click(query, {
        statusAnswers: 'processing,verified',
        returnUrl: '/verified?from=test',
      })
      deepEqual(visited, ['/verified?from=test'])
      equal(element.state, state)
      deepEqual(
        events.seen.map((event) => event.type),
        ['identity-verify-start', 'identity-verify-status'],
      )
      equal((events.seen[1].detail as {sessionId: string}).sessionId, sessionId)
      await sleep(700)
      equal((await serverLog(name)).statusRequests, 1, 'only the ask on connect')
      equal(modalsOpened(), 0)
    })
  }

  it('does not navigate on connect, when status-endpoint finds a user verified already', async () => {
    const name = uniqueName()
    const element = mount({
      'publishable-key': KEY,
      endpoint: endpoints(name).session,
      'status-endpoint': endpoints(name).status('verified', 'returning=1'),
      'return-url': '/verified',
    })
    const visited: string[] = []
    element.navigate = (url) => visited.push(url)
    await waitFor(() => element.state === 'verified', 'verified')
    deepEqual(visited, [])
  })

  it('still lets a listener stop the flow before the request', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name, VERIFIED).session})
    element.addEventListener('identity-verify-start', (event) => event.preventDefault(), {once: true})
    await element.start()
    equal(element.state, 'idle')
    equal((await serverLog(name)).sessions.length, 0)
  })

  for (const [what, query] of [
    ['another code', 'status=409&code=idempotency_conflict&session=verified'],
    ['no code', 'status=409&session=verified'],
    ['no session', 'status=409&code=already_verified'],
    ['a session neither verified nor processing', 'status=409&code=already_verified&session=requires_input'],
  ]) {
    it(`reports session_failed with status 409 for a 409 with ${what}`, async () => {
      const {element} = await click(query)
      deepEqual(events.seen, [
        {type: 'identity-verify-start', detail: {}},
        {type: 'identity-verify-error', detail: {code: 'session_failed', message: en.session_failed, status: 409}},
      ])
      equal(element.state, 'error')
      ok(buttonOf(element), 'the button is there to try again')
      equal(modalsOpened(), 0)
    })
  }
})
