// How the element finds the emulator's Stripe.js double with nothing on the page but its attributes: a
// server on the emulator names the double with each client secret (`stripe_js`), and the element loads
// it, with a test key only. js.stripe.com is unreachable from the test browser, as on an offline
// machine; the page starts without `window.Stripe`. The tests run in order.
import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, mount, record, serverLog, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'

declare global {
  interface Window {
    /** What the emulator's double (the fake endpoints' `/fake/stripe.js`) was asked. */
    emulatedStripe?: {keys: string[]; secrets: string[]}
  }
}

/** The URL of the emulator's double for `name`, as a server on the emulator answers it. */
const doubleOf = (name: string) => new URL(`/fake/stripe.js?as=${name}`, location.href).href

/** An endpoint for `name` answering `stripe_js` with the double of `double` beside each client secret. */
const emulatorEndpoint = (name: string, double: string) => endpoints(name, `stripe_js=${encodeURIComponent(doubleOf(double))}`).session

/** The scripts the page has been asked to load so far, by URL. */
const scriptsLoaded = () => [...document.querySelectorAll('script[src]')].map((script) => (script as HTMLScriptElement).src)

/** Clicks an element with `key` on the server of `name` and waits for the flow to end: submitted, or an error. */
async function clickThrough(key: string, name: string, double = name) {
  const events = record()
  try {
    const element = mount({'publishable-key': key, endpoint: emulatorEndpoint(name, double)})
    await element.updateComplete
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted' || element.state === 'error', 'the flow to end')
    return {element, events: events.seen}
  } finally {
    events.stop()
  }
}

describe('<identity-verify> and the emulator’s Stripe.js', () => {
  afterEach(cleanUp)

  it('with a live key, loads Stripe.js from js.stripe.com only, never the URL a server answers', async () => {
    const name = uniqueName()
    const {element, events} = await clickThrough('pk_live_discovery', name)
    equal(element.state, 'error')
    deepEqual(events.at(-1), {type: 'identity-verify-error', detail: {code: 'stripe_unavailable', message: en.stripe_unavailable, sessionId: `vs_${name}`}})
    ok(
      scriptsLoaded().some((src) => src.startsWith('https://js.stripe.com/')),
      'a js.stripe.com script',
    )
    ok(!scriptsLoaded().some((src) => src.includes('/fake/stripe.js')), 'no script from the URL the server answered')
    ok(!performance.getEntriesByType('resource').some((entry) => entry.name.includes('/fake/stripe.js')), 'nothing fetched from it')
    equal((await serverLog(name)).stripeJsLoads, 0)
    equal(window.emulatedStripe, undefined)
  })

  it('with a test key, opens the modal with the double the server names, js.stripe.com unreachable', async () => {
    const name = uniqueName()
    const {element, events} = await clickThrough('pk_test_discovery', name)
    equal(element.state, 'submitted', JSON.stringify(events))
    deepEqual(
      events.map((event) => event.type),
      ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted'],
    )
    deepEqual(window.emulatedStripe?.keys, ['pk_test_discovery'])
    equal(window.emulatedStripe?.secrets.length, 1)
    ok(window.emulatedStripe!.secrets[0]!.startsWith(`vs_${name}_secret_`))
    equal((await serverLog(name)).stripeJsLoads, 1)

    // Another element with the same key, and the same server, uses the double already loaded.
    const again = uniqueName()
    equal((await clickThrough('pk_test_discovery', again, name)).element.state, 'submitted')
    equal(window.emulatedStripe?.secrets.length, 2)
    equal((await serverLog(name)).stripeJsLoads, 1)
  })

  it('opens the modal with the double even where Stripe’s own Stripe.js loaded first (a developer machine online)', async () => {
    // Stripe.js as js.stripe.com defines it, there before the click (the prefetch on intent found it).
    installStripeDouble()
    const name = uniqueName()
    const {element, events} = await clickThrough('pk_test_online', name)
    equal(element.state, 'submitted', JSON.stringify(events))
    deepEqual(stripeDouble.secrets, [], 'Stripe’s own Stripe.js was not given the emulator’s secret')
    ok(window.emulatedStripe!.secrets.at(-1)!.startsWith(`vs_${name}_secret_`), 'the double opened it')
    equal((await serverLog(name)).stripeJsLoads, 1)
  })

  it('ignores a stripe_js that is not an http or https URL', async () => {
    installStripeDouble()
    const name = uniqueName()
    const events = record()
    try {
      const element = mount({'publishable-key': 'pk_test_odd', endpoint: endpoints(name, `stripe_js=${encodeURIComponent('javascript:alert(1)')}`).session})
      await element.updateComplete
      buttonOf(element)!.click()
      await waitFor(() => element.state === 'submitted', 'submitted')
    } finally {
      events.stop()
    }
    ok(stripeDouble.secrets.at(-1)!.startsWith(`vs_${name}_secret_`), 'Stripe.js as the page has it opened the modal')
  })
})
