import '../../widget/identity-verify-define.js'
import type {AxeResults} from 'axe-core'
import {emulateMedia, sendKeys} from '@web/test-runner-commands'
import {equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble, stripeError, submitted} from './stripe-double.js'
import {buttonOf, cleanUp, deferred, endpoints, messageOf, mount, statusAsked, uniqueName, waitFor} from './harness.js'
import type {IdentityVerifyElement, IdentityVerifyState} from '../../widget/identity-verify.js'

installStripeDouble()

const KEY = 'pk_test_a11y'

declare global {
  interface Window {
    axe: {run: (context: Element, options?: object) => Promise<AxeResults>}
  }
}

/** axe-core, as a classic script: it is not an ES module. */
const axeLoaded = new Promise((resolve, reject) => {
  const script = document.createElement('script')
  script.src = '/node_modules/axe-core/axe.min.js'
  script.onload = resolve
  script.onerror = reject
  document.head.append(script)
})

/** Fails with axe-core's findings, if any, for the page around `element`. */
async function assertAccessible(element: IdentityVerifyElement) {
  await axeLoaded
  await element.updateComplete
  const {violations} = await window.axe.run(document.body, {
    // The test page itself is no document a user sees: judge the element, not the page's title or landmarks.
    rules: {'page-has-heading-one': {enabled: false}, region: {enabled: false}},
  })
  const found = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
  equal(found.length, 0, `accessibility violations in state ${element.state}:\n${found.join('\n')}`)
}

/** Mounts an element and brings it to `state` the way a user would. */
async function elementIn(state: IdentityVerifyState): Promise<IdentityVerifyElement> {
  const name = uniqueName()
  const query = state === 'loading' ? 'delay=3000' : state === 'error' ? 'status=500' : ''
  const answers = state === 'requires-input' ? 'requires_input:document_unverified_other' : 'verified'
  const element = mount({
    'publishable-key': KEY,
    endpoint: endpoints(name, query).session,
    ...(state === 'verified' || state === 'requires-input' ? {'status-endpoint': endpoints(name).status(answers)} : {}),
  })
  const modal = deferred<typeof submitted>()
  stripeDouble.respond = () => (state === 'open' ? modal.promise : state === 'canceled' ? stripeError('session_cancelled') : submitted)
  await element.updateComplete
  if (element.statusEndpoint) await statusAsked(name)
  if (state !== 'idle') buttonOf(element)!.click()
  // requires-input shows once its last_error has outlived the first seconds after submission.
  await waitFor(() => element.state === state, `state ${state}`, 6000)
  return element
}

describe('<identity-verify> accessibility', () => {
  afterEach(cleanUp)

  for (const state of ['idle', 'loading', 'open', 'submitted', 'verified', 'requires-input', 'canceled', 'error'] as const) {
    it(`passes axe-core's checks in state ${state}`, async () => {
      await assertAccessible(await elementIn(state))
    })
  }

  it('fails the same checks when a page picks a label colour without enough contrast on its accent', async () => {
    const style = document.createElement('style')
    // The element picks a readable label for any accent; a page that sets its own is judged as it is.
    style.textContent = 'identity-verify { --identity-verify-accent: #a5a1ff; --identity-verify-accent-text: #fff }'
    document.head.append(style)
    try {
      await assertAccessible(await elementIn('idle'))
      throw new Error('a low-contrast accent went unnoticed')
    } catch (error) {
      ok(String(error).includes('color-contrast'), String(error))
    } finally {
      style.remove()
    }
  })

  it('is a native button, busy while loading, with its state in a polite live region', async () => {
    const element = await elementIn('loading')
    await element.updateComplete
    const button = buttonOf(element)!
    equal(button.localName, 'button')
    equal(button.getAttribute('aria-busy'), 'true')
    const message = messageOf(element)
    equal(message.getAttribute('role'), 'status')
    // English's texts after a click load on the first sign of intent, if not there yet.
    await waitFor(() => message.textContent!.length > 0, 'the live region to say what is happening')
  })

  it('returns focus to the button once the modal closes', async () => {
    const element = await elementIn('canceled')
    equal(element.shadowRoot!.activeElement, buttonOf(element))
  })

  it('moves focus to the confirmation when the button goes away after submission', async () => {
    const element = await elementIn('submitted')
    equal(element.shadowRoot!.activeElement, messageOf(element))
  })

  it('shows a focus ring to keyboard users', async () => {
    const element = await elementIn('idle')
    await sendKeys({press: 'Tab'})
    const button = buttonOf(element)!
    equal(element.shadowRoot!.activeElement, button)
    const style = getComputedStyle(button)
    equal(style.outlineStyle, 'solid')
    ok(parseFloat(style.outlineWidth) >= 2, 'the outline is at least 2px wide')
  })

  it('turns its spinner while loading, and keeps it still for users who ask for less motion', async () => {
    const element = await elementIn('loading')
    await element.updateComplete
    const spinner = () => getComputedStyle(buttonOf(element)!, '::before')
    // The looks of the states after a click load with the first of them.
    await waitFor(() => spinner().animationName === 'spin', 'the spinner to turn')
    await emulateMedia({reducedMotion: 'reduce'})
    try {
      equal(spinner().animationName, 'none')
    } finally {
      await emulateMedia({reducedMotion: 'no-preference'})
    }
  })

  it('uses no inline style attributes', async () => {
    for (const state of ['idle', 'loading', 'error'] as const) {
      const element = await elementIn(state)
      await element.updateComplete
      equal(element.shadowRoot!.querySelectorAll('[style]').length, 0)
      equal(element.hasAttribute('style'), false)
    }
  })
})
