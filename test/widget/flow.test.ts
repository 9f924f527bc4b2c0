import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble, stripeError, submitted} from './stripe-double.js'
import {buttonOf, cleanUp, deferred, endpoints, messageOf, mount, record, serverLog, sleep, statusAsked, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'

installStripeDouble()

const KEY = 'pk_test_flow'

describe('<identity-verify> flow', () => {
  let events: ReturnType<typeof record>
  beforeEach(() => {
    events = record()
    stripeDouble.respond = () => submitted
  })
  afterEach(() => {
    events.stop()
    cleanUp()
  })

  /** Mounts an element on fresh endpoints, clicks its button and waits for `until` events. */
  async function run(query = '', attributes: Record<string, string> = {}, until = 3) {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name, query).session, ...attributes})
    await element.updateComplete
    buttonOf(element)!.click()
    await waitFor(() => events.seen.length >= until, `${until} events`)
    return {name, element, sessionId: `vs_${name}`}
  }

  /**
   * Mounts an element whose status endpoint gives `answers`, one per request once there is a session,
   * and waits for its ask on connect (answered 204: nothing to show yet).
   */
  async function mountFollowing(answers: string, statusQuery = '') {
    const name = uniqueName()
    const element = mount({
      'publishable-key': KEY,
      endpoint: endpoints(name).session,
      'status-endpoint': endpoints(name).status(answers, statusQuery),
    })
    await statusAsked(name)
    return {name, element, sessionId: `vs_${name}`}
  }

  it('opens the modal and reports start, open, submitted in order', async () => {
    const {element, sessionId} = await run()
    deepEqual(events.seen, [
      {type: 'identity-verify-start', detail: {}},
      {type: 'identity-verify-open', detail: {sessionId}},
      {type: 'identity-verify-submitted', detail: {sessionId}},
    ])
    equal(element.state, 'submitted')
    equal(element.getAttribute('state'), 'submitted')
    await element.updateComplete
    equal(buttonOf(element), null)
    equal(messageOf(element).textContent, en.submitted)
  })

  it('shows the submitted slot instead of the built-in confirmation, once submitted', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session})
    element.insertAdjacentHTML('beforeend', '<p slot="submitted">We will email you.</p>')
    const confirmation = element.querySelector('p')!
    await element.updateComplete
    equal(confirmation.checkVisibility(), false)
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted', 'submitted')
    await element.updateComplete
    equal(confirmation.checkVisibility(), true)
    equal(messageOf(element).querySelector('slot')!.assignedElements()[0], confirmation)
  })

  it('sends the request body and headers as JSON, with the page cookies by default', async () => {
    document.cookie = 'visitor=v1; path=/'
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session})
    element.requestBody = {plan: 'pro'}
    element.requestHeaders = {'x-csrf-token': 'token-1'}
    await element.start()
    const [request] = (await serverLog(name)).sessions
    equal(request.method, 'POST')
    equal(request.contentType, 'application/json')
    equal(request.csrf, 'token-1')
    deepEqual(JSON.parse(request.body), {plan: 'pro'})
    ok(request.cookie.includes('visitor=v1'), 'the cookie was sent')
  })

  it('sends no cookie with credentials="omit"', async () => {
    document.cookie = 'visitor=v1; path=/'
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session, credentials: 'omit'})
    await element.start()
    equal((await serverLog(name)).sessions[0].cookie, '')
  })

  it('reports a closed modal as identity-verify-cancel, not as an error, and can start again', async () => {
    stripeDouble.respond = () => stripeError('session_cancelled')
    const {element, sessionId} = await run()
    deepEqual(events.seen, [
      {type: 'identity-verify-start', detail: {}},
      {type: 'identity-verify-open', detail: {sessionId}},
      {type: 'identity-verify-cancel', detail: {sessionId}},
    ])
    equal(element.getAttribute('state'), 'canceled')
    await element.updateComplete
    equal(messageOf(element).textContent, en.canceled)
    stripeDouble.respond = () => submitted
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted', 'a second flow')
  })

  for (const code of ['consent_declined', 'device_unsupported', 'under_supported_age', 'phone_otp_declined', 'email_verification_declined'] as const) {
    it(`reports Stripe's ${code} with its sessionId and a sentence for the user`, async () => {
      stripeDouble.respond = () => stripeError(code)
      const {element, sessionId} = await run()
      deepEqual(events.seen.slice(1), [
        {type: 'identity-verify-open', detail: {sessionId}},
        {type: 'identity-verify-error', detail: {code, message: en[code], sessionId}},
      ])
      equal(element.getAttribute('state'), 'error')
      await element.updateComplete
      equal(messageOf(element).textContent, en[code])
    })
  }

  it('passes an unknown Stripe error code through, with a generic sentence', async () => {
    stripeDouble.respond = () => stripeError('some_new_code')
    const {sessionId} = await run()
    deepEqual(events.seen[2], {
      type: 'identity-verify-error',
      detail: {code: 'some_new_code', message: en.failed, sessionId},
    })
  })

  for (const status of [400, 401, 403, 429, 500, 502]) {
    it(`reports session_failed with status ${status} when the endpoint answers ${status}`, async () => {
      const {element} = await run(`status=${status}`, {}, 2)
      deepEqual(events.seen, [
        {type: 'identity-verify-start', detail: {}},
        {type: 'identity-verify-error', detail: {code: 'session_failed', message: en.session_failed, status}},
      ])
      equal(element.state, 'error')
      await element.updateComplete
      equal(messageOf(element).textContent, en.session_failed)
    })
  }

  it('reports session_failed with status 200 when the answer has no client secret', async () => {
    await run('secret=none', {}, 2)
    deepEqual(events.seen[1].detail, {code: 'session_failed', message: en.session_failed, status: 200})
  })

  it('reports network when the endpoint cannot be reached, and works again on the next click', async () => {
    const {element} = await run('drop=1', {}, 2)
    deepEqual(events.seen[1], {type: 'identity-verify-error', detail: {code: 'network', message: en.network}})
    element.endpoint = endpoints(uniqueName()).session
    await element.start()
    equal(element.state, 'submitted')
  })

  for (const [what, key] of [
    ['missing', null],
    ['a secret key instead', 'sk_test_123'],
    ['malformed', 'pk_prod_123'],
  ] as const) {
    it(`reports config, without any request, when the publishable key is ${what}`, async () => {
      const name = uniqueName()
      const element = mount({endpoint: endpoints(name).session, ...(key ? {'publishable-key': key} : {})})
      await element.start()
      deepEqual(events.seen, [
        {type: 'identity-verify-start', detail: {}},
        {type: 'identity-verify-error', detail: {code: 'config', message: en.config}},
      ])
      equal((await serverLog(name)).sessions.length, 0)
    })
  }

  it('does nothing more when a listener calls preventDefault() on identity-verify-start', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session})
    element.addEventListener('identity-verify-start', (event) => event.preventDefault(), {once: true})
    await element.start()
    await sleep(50)
    deepEqual(
      events.seen.map((event) => event.type),
      ['identity-verify-start'],
    )
    equal(element.state, 'idle')
    equal((await serverLog(name)).sessions.length, 0)
  })

  it('makes one request however often the button is clicked while it is in flight', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name, 'delay=200').session})
    await element.updateComplete
    const button = buttonOf(element)!
    button.click()
    button.click()
    void element.start()
    await element.updateComplete
    equal(button.getAttribute('aria-busy'), 'true')
    button.click()
    await waitFor(() => element.state === 'submitted', 'submission')
    equal((await serverLog(name)).sessions.length, 1)
    equal(events.seen.filter((event) => event.type === 'identity-verify-start').length, 1)
  })

  it('ignores clicks while the modal is open', async () => {
    const modal = deferred<typeof submitted>()
    stripeDouble.respond = () => modal.promise
    const {name, element} = await run('', {}, 2)
    equal(element.state, 'open')
    buttonOf(element)!.click()
    await sleep(50)
    modal.resolve(submitted)
    await waitFor(() => element.state === 'submitted', 'submission')
    equal((await serverLog(name)).sessions.length, 1)
  })

  it('does nothing when disabled', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session, disabled: ''})
    await element.updateComplete
    ok(buttonOf(element)!.disabled, 'the button is disabled')
    await element.start()
    deepEqual(events.seen, [])
    equal((await serverLog(name)).sessions.length, 0)
  })

  it('navigates to return-url after submission, and follows no status', async () => {
    const name = uniqueName()
    const element = mount({
      'publishable-key': KEY,
      endpoint: endpoints(name).session,
      'return-url': '/verified?from=test',
      'status-endpoint': endpoints(name).status('verified'),
    })
    await statusAsked(name)
    const visited: string[] = []
    element.navigate = (url) => visited.push(url)
    await element.start()
    deepEqual(visited, ['/verified?from=test'])
    equal(events.seen.at(-1)!.type, 'identity-verify-submitted')
    await sleep(700)
    equal((await serverLog(name)).statusRequests, 1, 'only the ask on connect')
  })

  it('follows the status through a failing answer to verified, and says so', async () => {
    const {element, sessionId} = await mountFollowing('500,processing,verified')
    await element.start()
    await waitFor(() => element.state === 'verified', 'verified', 6000)
    deepEqual(events.seen.slice(2), [
      {type: 'identity-verify-submitted', detail: {sessionId}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'processing', lastError: null}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'verified', lastError: null}},
    ])
    equal(element.getAttribute('state'), 'verified')
    await element.updateComplete
    equal(messageOf(element).textContent, en.verified)
    equal(buttonOf(element), null)
  })

  it('follows the status to requires-input, says what to do, and lets the user try again', async () => {
    const {name, element, sessionId} = await mountFollowing('requires_input,requires_input:document_expired')
    await element.start()
    // A last_error in the first seconds after submission may be an earlier attempt's: it is believed from 3 s on.
    await waitFor(() => element.state === 'requires-input', 'requires-input', 6000)
    deepEqual(events.seen.slice(3), [
      {type: 'identity-verify-status', detail: {sessionId, status: 'requires_input', lastError: null}},
      {
        type: 'identity-verify-status',
        detail: {sessionId, status: 'requires_input', lastError: {code: 'document_expired'}},
      },
    ])
    equal(element.getAttribute('state'), 'requires-input')
    await element.updateComplete
    equal(messageOf(element).textContent, en.document_expired)
    buttonOf(element)!.click()
    await waitFor(() => (events.seen.at(-1)!.type as string) === 'identity-verify-submitted', 'a second submission')
    equal((await serverLog(name)).sessions.length, 2)
  })

  it("keeps checking while the server still answers an earlier attempt's failure, right after submission", async () => {
    const {element, sessionId} = await mountFollowing('requires_input:document_expired,processing,verified')
    const states: string[] = []
    const watch = new MutationObserver(() => states.push(element.state))
    watch.observe(element, {attributes: true, attributeFilter: ['state']})
    try {
      await element.start()
      await waitFor(() => element.state === 'verified', 'verified', 6000)
      equal(states.includes('requires-input'), false, `went through ${states.join(', ')}`)
      deepEqual(
        events.seen.filter((event) => event.type === 'identity-verify-status').map((event) => event.detail),
        [
          {sessionId, status: 'requires_input', lastError: {code: 'document_expired'}},
          {sessionId, status: 'processing', lastError: null},
          {sessionId, status: 'verified', lastError: null},
        ],
      )
    } finally {
      watch.disconnect()
    }
  })

  it('ignores status answers about another session', async () => {
    const {element} = await mountFollowing('verified', 'id=vs_someone_else')
    await element.start()
    await sleep(700)
    equal(element.state, 'submitted')
    equal(events.seen.filter((event) => event.type === 'identity-verify-status').length, 0)
  })

  it('aborts its request when removed from the page, and says nothing more', async () => {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name, 'delay=3000').session})
    void element.start()
    await waitFor(async () => (await serverLog(name)).sessions.length === 1, 'the request')
    element.remove()
    await waitFor(async () => (await serverLog(name)).sessions[0].aborted, 'the server to see the request cancelled')
    await sleep(50)
    deepEqual(
      events.seen.map((event) => event.type),
      ['identity-verify-start'],
    )
    equal(element.state, 'idle')
  })

  it('gives up following after two minutes of processing, and keeps the confirmation', async function (this: {timeout(ms: number): void}) {
    // Nineteen status requests one after another: seconds on a loaded machine.
    this.timeout(40_000)
    // The element's waits (half a second and more) pass at once and move the clock on by as much.
    const {setTimeout: realSetTimeout} = window
    const realNow = Date.now
    let skipped = 0
    Date.now = () => realNow() + skipped
    window.setTimeout = ((handler: TimerHandler, ms = 0, ...rest: unknown[]) => {
      if (ms >= 500) {
        skipped += ms
        ms = 0
      }
      return realSetTimeout(handler, ms, ...rest)
    }) as typeof window.setTimeout
    try {
      const {name, element, sessionId} = await mountFollowing('processing')
      await element.start()
      // Waits of 0.5, 1, 2 and 4 s, then every 8 s: 19 requests start within 120 s, 18 if the run is
      // slow; one more is the ask on connect.
      await waitFor(async () => (await serverLog(name)).statusRequests >= 1 + 18, 'the status requests of two minutes', 30_000)
      await sleep(300)
      const {statusRequests} = await serverLog(name)
      ok(statusRequests === 1 + 18 || statusRequests === 1 + 19, `${statusRequests} status requests`)
      ok(skipped >= 120_000 && skipped <= 128_000, `followed for ${skipped} ms`)
      await sleep(300)
      equal((await serverLog(name)).statusRequests, statusRequests, 'no request after giving up')
      deepEqual(
        events.seen.filter((event) => event.type === 'identity-verify-status'),
        [{type: 'identity-verify-status', detail: {sessionId, status: 'processing', lastError: null}}],
      )
      equal(element.state, 'submitted')
      equal(messageOf(element).textContent, en.submitted)
    } finally {
      window.setTimeout = realSetTimeout
      Date.now = realNow
    }
  })

  it('stops following the status when removed from the page', async () => {
    const {name, element} = await mountFollowing('processing')
    await element.start()
    await waitFor(() => events.seen.some((event) => event.type === 'identity-verify-status'), 'a status')
    element.remove()
    await sleep(1200)
    equal((await serverLog(name)).statusRequests, 2, 'the ask on connect and one after submission')
  })

  it('lets its events cross an enclosing shadow root', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    const name = uniqueName()
    const element = document.createElement('identity-verify')
    element.publishableKey = KEY
    element.endpoint = endpoints(name).session
    host.attachShadow({mode: 'open'}).append(element)
    try {
      await element.start()
      deepEqual(
        events.seen.map((event) => event.type),
        ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted'],
      )
    } finally {
      host.remove()
    }
  })
})
