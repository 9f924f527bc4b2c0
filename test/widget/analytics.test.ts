import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble, submitted} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, mount, record, uniqueName, waitFor} from './harness.js'

installStripeDouble()

declare global {
  interface Window {
    dataLayer?: unknown[]
  }
}

// With `analytics`, a tag manager sees every event in window.dataLayer, as {event, identityVerify}.

describe('<identity-verify analytics>', () => {
  let events: ReturnType<typeof record>
  beforeEach(() => {
    events = record()
    stripeDouble.respond = () => submitted
    delete window.dataLayer
  })
  afterEach(() => {
    events.stop()
    cleanUp()
  })

  async function verify(attributes: Record<string, string>) {
    const name = uniqueName()
    const element = mount({'publishable-key': 'pk_test_analytics', endpoint: endpoints(name).session, ...attributes})
    await element.updateComplete
    buttonOf(element)!.click()
    await waitFor(() => events.seen.length === 3, 'start, open and submitted')
    return `vs_${name}`
  }

  it('pushes start, open and submitted, in order, to a dataLayer it creates, without the client secret', async () => {
    const sessionId = await verify({analytics: ''})
    deepEqual(window.dataLayer, [
      {event: 'identity-verify-start', identityVerify: {}},
      {event: 'identity-verify-open', identityVerify: {sessionId}},
      {event: 'identity-verify-submitted', identityVerify: {sessionId}},
    ])
    const secret = stripeDouble.secrets.at(-1)!
    ok(secret.includes('_secret_'))
    ok(!JSON.stringify(window.dataLayer).includes('_secret_'), 'a client secret in the dataLayer')
  })

  it('adds to the page’s own dataLayer, through its push', async () => {
    const pushed: unknown[] = []
    window.dataLayer = Object.assign([{event: 'gtm.js'}], {push: (...items: unknown[]) => pushed.push(...items)})
    await verify({analytics: ''})
    deepEqual(
      pushed.map((item) => (item as {event: string}).event),
      ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted'],
    )
  })

  it('leaves window.dataLayer alone without the attribute', async () => {
    await verify({})
    equal(window.dataLayer, undefined)
  })
})
