// How the element gets Stripe.js. This page starts without it: js.stripe.com is unreachable from the
// test browser, so every load attempt fails until a test installs the double. The tests run in order.
import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble} from './stripe-double.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'
import {buttonOf, cleanUp, endpoints, mount, record, serverLog, sleep, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'

const KEY = 'pk_test_loading'

/** Counts the Stripe.js script tags the page adds (each is one attempt to load it), and those whose attempt has ended. */
function countStripeScripts() {
  const counter = {added: 0, ended: 0}
  new MutationObserver((mutations) => {
    for (const mutation of mutations)
      for (const node of mutation.addedNodes)
        if (node instanceof HTMLScriptElement && node.src.startsWith('https://js.stripe.com/')) {
          counter.added++
          for (const type of ['load', 'error']) node.addEventListener(type, () => counter.ended++, {once: true})
        }
  }).observe(document.documentElement, {childList: true, subtree: true})
  return counter
}

/** Mounts an element below the fold, where it is not in view. */
function mountOutOfView(name = uniqueName()) {
  const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session})
  element.style.cssText = 'position: absolute; top: 300vh'
  return element
}

describe('<identity-verify> and Stripe.js', () => {
  const scripts = countStripeScripts()
  afterEach(() => {
    cleanUp()
    scrollTo(0, 0)
  })

  it('does not load Stripe.js before the user shows interest', async () => {
    const element = mountOutOfView()
    await element.updateComplete
    await sleep(200)
    equal(scripts.added, 0)
  })

  for (const [sign, show] of [
    ['focus enters the element', (element) => buttonOf(element)!.focus()],
    ['the pointer enters the element', (element) => element.dispatchEvent(new PointerEvent('pointerenter'))],
    ['the element is scrolled into view', (element) => element.scrollIntoView()],
  ] as const satisfies readonly (readonly [string, (element: IdentityVerifyElement) => void])[]) {
    it(`starts loading Stripe.js when ${sign}`, async () => {
      const element = mountOutOfView()
      await element.updateComplete
      // Earlier tests' attempts have failed by now; what comes next is this one's.
      await sleep(200)
      const before = scripts.added
      show(element)
      await waitFor(() => scripts.added > before, 'a Stripe.js script')
    })
  }

  it('loads Stripe.js while the session is being created, not after', async () => {
    const name = uniqueName()
    const element = mountOutOfView()
    element.endpoint = endpoints(name, 'delay=600').session
    await element.updateComplete
    await sleep(100)
    const before = scripts.added
    void element.start()
    await waitFor(() => scripts.added > before, 'a Stripe.js script', 500)
    equal(element.state, 'loading', 'the session is still being created')
  })

  it('reports stripe_unavailable when Stripe.js does not load, with the session it created', async () => {
    const events = record()
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session})
    try {
      await element.start()
      deepEqual(events.seen, [
        {type: 'identity-verify-start', detail: {}},
        {
          type: 'identity-verify-error',
          detail: {code: 'stripe_unavailable', message: en.stripe_unavailable, sessionId: `vs_${name}`},
        },
      ])
      equal(element.state, 'error')
      equal((await serverLog(name)).sessions.length, 1)
    } finally {
      events.stop()
    }
  })

  it('tries again on the next click, and loads Stripe.js once for every element on the page', async () => {
    // An attempt still under way (the last test's element, refocused after its error, shows interest
    // again) would fail both clicks: it is left to end first, with the retry Stripe's loader makes.
    await waitFor(async () => scripts.ended === scripts.added && (await sleep(50), scripts.ended === scripts.added), 'the earlier attempts to end')
    installStripeDouble()
    const first = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session})
    const second = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session})
    await Promise.all([first.updateComplete, second.updateComplete])
    const events = record()
    buttonOf(first)!.click()
    buttonOf(second)!.click()
    try {
      await waitFor(() => first.state === 'submitted' && second.state === 'submitted', 'both submitted')
    } catch (error) {
      // What the elements did instead, so that a failure says which step went wrong.
      throw new Error(
        `${(error as Error).message}: states ${first.state} and ${second.state}, events ${JSON.stringify(events.seen)}, Stripe.js tags ${scripts.added} (${scripts.ended} ended)`,
        {cause: error},
      )
    } finally {
      events.stop()
    }
    deepEqual(stripeDouble.instances, [KEY])
    equal(stripeDouble.secrets.length, 2)
    ok(stripeDouble.secrets[0] !== stripeDouble.secrets[1], 'each element opened its own session')
  })
})
