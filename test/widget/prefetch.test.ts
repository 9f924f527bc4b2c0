import '../../widget/identity-verify-define.js'
import {resetMouse, sendKeys, sendMouse} from '@web/test-runner-commands'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble, submitted} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, messageOf, mount, record, serverLog, sleep, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'

installStripeDouble()

const KEY = 'pk_test_prefetch'

// Long enough for a sign of intent to have made its request, had it made one.
const QUIET_MS = 600

// What the page's author would see of a warning.
const warnings: unknown[][] = []
const originalWarn = console.warn
console.warn = (...args: unknown[]) => {
  warnings.push(args)
  originalWarn(...args)
}

describe('<identity-verify> prefetch', () => {
  let events: ReturnType<typeof record>
  beforeEach(() => {
    events = record()
    warnings.length = 0
    stripeDouble.secrets.length = 0
    stripeDouble.respond = () => submitted
  })
  afterEach(async () => {
    events.stop()
    cleanUp()
    await resetMouse()
  })

  /** Mounts an element on fresh endpoints (with `query`) and waits for its first render. */
  async function mountNamed(query = '', attributes: Record<string, string> = {}) {
    const name = uniqueName()
    const element = mount({'publishable-key': KEY, endpoint: endpoints(name, query).session, ...attributes})
    await element.updateComplete
    return {name, element}
  }

  /** Moves the real mouse onto the element's button and rests there for `ms`. */
  async function hover(element: IdentityVerifyElement, ms = 200) {
    const box = buttonOf(element)!.getBoundingClientRect()
    await sendMouse({type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)]})
    await sleep(ms)
  }

  /** Moves the mouse to the page's corner, away from any element. */
  const leave = () => sendMouse({type: 'move', position: [0, 0]})

  /** Runs `test` with a spacer three screens tall above the elements, which puts them out of sight until scrolled to. */
  async function belowTheFold(test: () => Promise<void>) {
    const spacer = document.createElement('div')
    spacer.style.height = '300vh'
    document.body.prepend(spacer)
    try {
      await test()
    } finally {
      spacer.remove()
      scrollTo(0, 0)
    }
  }

  const creates = async (name: string) => (await serverLog(name)).sessions.length

  /** Resolves once the fake session endpoint of `name` has answered `count` creates. */
  const created = (name: string, count = 1) => waitFor(async () => (await serverLog(name)).sessions.length >= count, `${count} creates`)

  it('fetches the client secret when the pointer rests on the button, and the click opens the modal with no request of its own', async () => {
    const {name, element} = await mountNamed()
    await hover(element)
    await created(name)
    // Answered: what the click needs is in memory by now.
    await sleep(100)
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted', 'submitted')
    equal(await creates(name), 1)
    equal(stripeDouble.secrets.length, 1)
    ok(stripeDouble.secrets[0]!.startsWith(`vs_${name}_secret_`), stripeDouble.secrets[0])
    deepEqual(
      events.seen.map((event) => event.type),
      ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted'],
    )
  })

  it('makes one request for ten hovers while its answer is held', async () => {
    const {name, element} = await mountNamed()
    for (let i = 0; i < 10; i++) {
      await hover(element, 150)
      await leave()
    }
    await sleep(QUIET_MS)
    equal(await creates(name), 1)
    deepEqual(events.seen, [])
  })

  it('makes no request for a pointer passing over the button without resting', async () => {
    const {name, element} = await mountNamed()
    // Seen first, so that the module watching for intent is there before the pointer comes.
    await sleep(300)
    const button = buttonOf(element)!
    for (let i = 0; i < 5; i++) {
      button.dispatchEvent(new PointerEvent('pointerenter', {pointerType: 'mouse', composed: true}))
      await sleep(10)
      button.dispatchEvent(new PointerEvent('pointerleave', {pointerType: 'mouse', composed: true}))
    }
    await sleep(QUIET_MS)
    equal(await creates(name), 0)
  })

  it('acts on the touch that loaded the module watching for intent, though it came before its listeners', async () => {
    await belowTheFold(async () => {
      const {name, element} = await mountNamed()
      // Off screen: nothing has loaded yet; a finger comes over the button.
      element.dispatchEvent(new PointerEvent('pointerenter', {pointerType: 'touch'}))
      await created(name)
    })
  })

  it('fetches the client secret on keyboard focus', async () => {
    const {name, element} = await mountNamed()
    const before = document.createElement('button')
    before.textContent = 'before'
    element.before(before)
    before.focus()
    await sendKeys({press: 'Tab'})
    equal(element.shadowRoot!.activeElement, buttonOf(element))
    await created(name)
    before.remove()
  })

  it('asks nothing ahead of a click that would report config: a missing or malformed publishable key', async () => {
    for (const key of [null, 'sk_test_123', 'pk_prod_123']) {
      const name = uniqueName()
      const element = mount({endpoint: endpoints(name).session, ...(key ? {'publishable-key': key} : {})})
      await element.updateComplete
      await hover(element)
      // Keyboard focus, as the element's own focus after the click's error is taken for.
      buttonOf(element)!.focus()
      await sleep(QUIET_MS)
      equal(await creates(name), 0, `no request with ${key}`)
      await leave()
      cleanUp()
    }
  })

  it('fetches the client secret on a touch start', async () => {
    const {name, element} = await mountNamed()
    // Seen first: the element's module for intent is loaded, as after scrolling to it.
    element.scrollIntoView()
    await sleep(300)
    equal(await creates(name), 0)
    const button = buttonOf(element)!
    button.dispatchEvent(new TouchEvent('touchstart', {bubbles: true, composed: true, touches: [new Touch({identifier: 1, target: button, clientX: 1, clientY: 1})]}))
    await created(name)
  })

  it('loads Stripe.js but asks nothing of the endpoint when the button is only scrolled into view', async () => {
    await belowTheFold(async () => {
      // A key of its own: Stripe.js made for it says the element saw the sign of intent.
      const key = 'pk_test_scrolled'
      const {name, element} = await mountNamed('', {'publishable-key': key})
      await sleep(QUIET_MS)
      ok(!stripeDouble.instances.includes(key), 'nothing loaded out of sight')
      element.scrollIntoView()
      await waitFor(() => stripeDouble.instances.includes(key), 'Stripe.js for the key')
      await sleep(QUIET_MS)
      equal(await creates(name), 0)
    })
  })

  it('keeps start first and cancelable: preventDefault() stops the flow and the prefetched secret goes unused', async () => {
    const {name, element} = await mountNamed()
    await hover(element)
    await created(name)
    element.addEventListener('identity-verify-start', (event) => event.preventDefault(), {once: true})
    buttonOf(element)!.click()
    await sleep(QUIET_MS)
    deepEqual(events.seen, [{type: 'identity-verify-start', detail: {}}])
    equal(element.state, 'idle')
    equal(stripeDouble.secrets.length, 0)
    equal(await creates(name), 1)
  })

  it('keeps the client secret out of events, the DOM, the URL and storage', async () => {
    const {name, element} = await mountNamed('', {analytics: ''})
    const dataLayer = ((window as {dataLayer?: object[]}).dataLayer ??= [])
    dataLayer.length = 0
    await hover(element)
    await created(name)
    await sleep(100)
    const secret = `vs_${name}_secret_`
    const storage = JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})
    const places = [
      element.outerHTML,
      element.shadowRoot!.innerHTML,
      document.documentElement.outerHTML,
      location.href,
      storage,
      JSON.stringify(events.seen),
      JSON.stringify(dataLayer),
    ]
    for (const place of places) ok(!place.includes(secret), `the secret is in ${place.slice(0, 80)}`)
    deepEqual(events.seen, [])
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted', 'submitted')
    ok(!JSON.stringify(events.seen).includes(secret), JSON.stringify(events.seen))
    ok(!JSON.stringify(dataLayer).includes(secret), JSON.stringify(dataLayer))
  })

  it('asks nothing before the click with prefetch="none"', async () => {
    const {name, element} = await mountNamed('', {prefetch: 'none'})
    await hover(element)
    buttonOf(element)!.focus()
    await sleep(QUIET_MS)
    equal(await creates(name), 0)
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted', 'submitted')
    equal(await creates(name), 1)
  })

  it('fails silently ahead of the click, which then asks again and shows the error as today', async () => {
    const {name, element} = await mountNamed('status=500')
    await hover(element)
    await created(name)
    await sleep(200)
    deepEqual(events.seen, [])
    deepEqual(warnings, [])
    equal(messageOf(element).textContent, '')
    equal(element.state, 'idle')
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'error', 'error')
    equal(await creates(name), 2)
    // The prefetch is marked for the server to count apart from clicks; the click's own request is not.
    deepEqual(
      (await serverLog(name)).sessions.map((session) => session.intent),
      ['prefetch', ''],
    )
    equal(messageOf(element).textContent, en.session_failed)
    deepEqual(
      events.seen.map((event) => [event.type, (event.detail as {code?: string}).code]),
      [
        ['identity-verify-start', undefined],
        ['identity-verify-error', 'session_failed'],
      ],
    )
  })

  it('asks again at the click when the endpoint changed after the prefetch', async () => {
    const {name, element} = await mountNamed()
    await hover(element)
    await created(name)
    const other = uniqueName()
    element.endpoint = endpoints(other).session
    await leave()
    element.prefetch = 'none'
    buttonOf(element)!.click()
    await waitFor(() => element.state === 'submitted', 'submitted')
    equal(await creates(other), 1)
    ok(stripeDouble.secrets[0]!.startsWith(`vs_${other}_secret_`), stripeDouble.secrets[0])
  })

  it('asks again at the click once the prefetched secret has waited too long', async () => {
    const {name, element} = await mountNamed()
    await hover(element)
    await created(name)
    await sleep(100)
    const now = Date.now
    Date.now = () => now() + 6 * 60_000
    try {
      buttonOf(element)!.click()
      await waitFor(() => element.state === 'submitted', 'submitted')
    } finally {
      Date.now = now
    }
    equal(await creates(name), 2)
  })

  it('makes no request where the click would go to the hosted page', async () => {
    const {name, element} = await mountNamed('', {mode: 'redirect'})
    element.navigate = () => {}
    await hover(element)
    buttonOf(element)!.focus()
    await sleep(QUIET_MS)
    equal(await creates(name), 0)
  })
})
