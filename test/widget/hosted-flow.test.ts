import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble, submitted} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, messageOf, mount, otherOrigin, record, serverLog, statusAsked, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'

installStripeDouble()

// Stripe's hosted page instead of the modal: always with mode="redirect", and with mode="auto" where
// the modal cannot work (here, a known in-app browser). Coming back, the element resumes by itself.

const INSTAGRAM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 618329009)'

/** Makes the page's navigator report `userAgent` until `restore()`. */
function pretendUserAgent(userAgent: string) {
  Object.defineProperty(navigator, 'userAgent', {value: userAgent, configurable: true})
  return () => delete (navigator as {userAgent?: string}).userAgent
}

/**
 * Makes the page's permissions policy deny the camera, as a frame from another site without
 * `allow="camera"` has it, until `restore()`.
 */
function pretendNoCamera() {
  Object.defineProperty(document, 'permissionsPolicy', {value: {allowsFeature: (feature: string) => feature !== 'camera'}, configurable: true})
  return () => delete (document as {permissionsPolicy?: unknown}).permissionsPolicy
}

const HOSTED = 'identity-verify-hosted'

describe('<identity-verify> and the hosted page', () => {
  let events: ReturnType<typeof record>
  let restoreUserAgent: (() => void) | undefined
  let restoreCamera: (() => void) | undefined
  beforeEach(() => {
    events = record()
    stripeDouble.respond = () => submitted
    sessionStorage.clear()
  })
  afterEach(() => {
    events.stop()
    cleanUp()
    restoreUserAgent?.()
    restoreUserAgent = undefined
    restoreCamera?.()
    restoreCamera = undefined
  })

  /** Mounts an element whose navigation is recorded instead of done, and clicks it. */
  async function click(attributes: Record<string, string>) {
    const name = uniqueName()
    const element = mount({'publishable-key': 'pk_test_hosted', endpoint: endpoints(name).session, id: `el-${name}`, ...attributes})
    const navigated: string[] = []
    element.navigate = (url) => navigated.push(url)
    await element.updateComplete
    const modalsBefore = stripeDouble.secrets.length
    buttonOf(element)!.click()
    await waitFor(() => navigated.length > 0 || stripeDouble.secrets.length > modalsBefore, 'the hosted page or the modal')
    return {name, element, navigated, modals: stripeDouble.secrets.length - modalsBefore}
  }

  it('with mode="redirect", asks for the hosted page with this page as the way back, and goes there', async () => {
    location.hash = 'step-2'
    try {
      const {name, element, navigated, modals} = await click({mode: 'redirect'})
      deepEqual(navigated, [`https://verify.example/start/test_${name}`])
      equal(modals, 0)
      const [request] = (await serverLog(name)).sessions
      equal(request!.returnUrl, location.href.split('#')[0])
      equal(sessionStorage.getItem(HOSTED), element.id)
      deepEqual(events.seen, [{type: 'identity-verify-start', detail: {}}])
    } finally {
      history.replaceState(null, '', location.pathname + location.search)
    }
  })

  it('with mode="auto" in a known in-app browser, takes the hosted page', async () => {
    restoreUserAgent = pretendUserAgent(INSTAGRAM_UA)
    const {name, navigated, modals} = await click({})
    deepEqual(navigated, [`https://verify.example/start/test_${name}`])
    equal(modals, 0)
  })

  it('with mode="modal" in a known in-app browser, and in an ordinary browser, opens the modal', async () => {
    restoreUserAgent = pretendUserAgent(INSTAGRAM_UA)
    const inApp = await click({mode: 'modal'})
    equal(inApp.modals, 1)
    equal((await serverLog(inApp.name)).sessions[0]!.returnUrl, '')
    restoreUserAgent()
    restoreUserAgent = undefined
    const ordinary = await click({})
    equal(ordinary.modals, 1)
    deepEqual(ordinary.navigated, [])
  })

  it('where the frame has no camera, opens the hosted page in a new tab that cannot reach back into this page', async () => {
    restoreCamera = pretendNoCamera()
    const messages: unknown[] = []
    const listener = (event: MessageEvent) => messages.push(event.data)
    addEventListener('message', listener)
    try {
      const name = uniqueName()
      // Stripe's page is on another site: the stand-in is on the other origin.
      const hostedPage = `${otherOrigin}/fake/hosted-page?as=${name}`
      const element = mount({'publishable-key': 'pk_test_hosted', endpoint: endpoints(name, `hosted=${encodeURIComponent(hostedPage)}`).session})
      await element.updateComplete
      buttonOf(element)!.click()
      await waitFor(async () => (await serverLog(name)).hostedPages.length > 0, 'the hosted page in the new tab')
      deepEqual((await serverLog(name)).hostedPages, [{opener: false}], 'the hosted page has no window.opener')
      deepEqual(messages, [], 'no message from the hosted page reached this one')
      equal(element.state, 'open')
      deepEqual(events.seen, [{type: 'identity-verify-start', detail: {}}])
    } finally {
      removeEventListener('message', listener)
    }
  })

  it('back from the hosted page, shows the submission and follows the status until verified, with no click', async () => {
    const name = uniqueName()
    sessionStorage.setItem(HOSTED, `el-${name}`)
    const element = mount({
      id: `el-${name}`,
      name: 'identity',
      'publishable-key': 'pk_test_hosted',
      endpoint: endpoints(name).session,
      // The webhook has not arrived when the page asks first: the session still waits for input.
      'status-endpoint': endpoints(name).status('requires_input,verified', 'returning=1'),
    })
    await waitFor(() => element.state === 'verified', 'verified')
    const sessionId = `vs_${name}`
    // The first answer, from before the webhook, says nothing about the submission: no status event.
    deepEqual(events.seen, [
      {type: 'identity-verify-submitted', detail: {sessionId}},
      {type: 'identity-verify-status', detail: {sessionId, status: 'verified', lastError: null}},
    ])
    equal((await serverLog(name)).statusRequests, 2)
    equal(element.value, sessionId)
    equal(sessionStorage.getItem(HOSTED), null, 'the mark is taken once')
    await element.updateComplete
    equal(messageOf(element).textContent, en.verified)
  })

  it('on an ordinary visit, another element’s mark or none, shows only what the server confirms', async () => {
    sessionStorage.setItem(HOSTED, 'someone-else')
    const name = uniqueName()
    const element = mount({
      id: `el-${name}`,
      'publishable-key': 'pk_test_hosted',
      'status-endpoint': endpoints(name).status('requires_input', 'returning=1'),
    }) as IdentityVerifyElement
    await statusAsked(name)
    await element.updateComplete
    equal(element.state, 'idle')
    deepEqual(events.seen, [])
    equal(sessionStorage.getItem(HOSTED), 'someone-else')
    ok(buttonOf(element))
  })
})
