// How each outcome looks and what the button offers after a failed attempt: marks and colours told
// apart, "Try again" with focus on it, and colours that read on any accent and any page.
import '../../widget/identity-verify-define.js'
import {resetMouse, sendKeys, sendMouse} from '@web/test-runner-commands'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'
import fr from '../../widget/locales/fr.js'
import {deepEqual, equal, ok} from './assert.js'
import {contrast, painted} from './contrast.js'
import {english as en} from './english.js'
import {buttonOf, cleanUp, endpoints, messageOf, mount, record, statusAsked, uniqueName, waitFor} from './harness.js'
import {installStripeDouble, stripeDouble, submitted} from './stripe-double.js'

installStripeDouble()

const KEY = 'pk_test_outcomes'

/** The pages the colours are judged against: white and near black. */
const PAGES = ['#fff', '#111']

/** The outcome's mark, once the looks of the states after a click have loaded. */
async function markOf(element: IdentityVerifyElement): Promise<{mark: HTMLElement; colour: string; before: string; after: string}> {
  const mark = await waitForMark(element)
  const style = getComputedStyle(mark)
  return {mark, colour: style.backgroundColor, before: getComputedStyle(mark, '::before').content, after: getComputedStyle(mark, '::after').rotate}
}

async function waitForMark(element: IdentityVerifyElement): Promise<HTMLElement> {
  await element.updateComplete
  const mark = () => element.shadowRoot!.querySelector<HTMLElement>('[part=mark]')
  await waitFor(() => mark() && getComputedStyle(mark()!).display === 'inline-block', `the mark of ${element.state}`)
  return mark()!
}

/** Resolves once the button's looks of intent (hover, focus ring) have loaded, as they do when it scrolls into view. */
const intentLooks = (element: IdentityVerifyElement) => waitFor(() => element.shadowRoot!.adoptedStyleSheets.length > 1, 'the looks of intent')

/** Mounts an element whose status endpoint answers `answers` once it has a session, and clicks it. */
async function clickFollowing(answers: string, attributes: Record<string, string> = {}) {
  const name = uniqueName()
  const element = mount({'publishable-key': KEY, endpoint: endpoints(name).session, 'status-endpoint': endpoints(name).status(answers), ...attributes})
  await statusAsked(name)
  await element.updateComplete
  buttonOf(element)!.click()
  return element
}

describe('<identity-verify> outcomes', () => {
  let events: ReturnType<typeof record>
  beforeEach(() => {
    events = record()
    stripeDouble.respond = () => submitted
  })
  afterEach(async () => {
    events.stop()
    cleanUp()
    document.documentElement.removeAttribute('lang')
    await resetMouse()
  })

  it('marks verified and an error apart, each with a mark of its own colour and shape that screen readers skip', async () => {
    const verified = await clickFollowing('verified')
    const failed = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName(), 'status=500').session})
    await failed.updateComplete
    equal(failed.shadowRoot!.querySelector('[part=mark]'), null, 'no mark before an outcome')
    buttonOf(failed)!.click()
    await waitFor(() => verified.state === 'verified' && failed.state === 'error', 'both outcomes')
    const tick = await markOf(verified)
    const cross = await markOf(failed)
    equal(tick.colour, 'rgb(22, 138, 60)')
    equal(cross.colour, 'rgb(217, 45, 32)')
    equal(tick.after, '45deg')
    equal(cross.after, '-45deg')
    for (const {mark} of [tick, cross]) equal(mark.getAttribute('aria-hidden'), 'true')
    // The live region says what it said before, in words alone.
    equal(messageOf(verified).textContent, en.verified)
    equal(messageOf(failed).textContent, en.session_failed)
    // Each mark reads at 3:1 or more on a white page and on a black one.
    for (const page of PAGES) for (const {colour} of [tick, cross]) ok(contrast(colour, page) >= 3, `${colour} on ${page}`)
  })

  it('marks documents being checked, and takes a site’s colours from its custom properties', async () => {
    const style = document.createElement('style')
    style.textContent = 'identity-verify { --identity-verify-pending: rgb(1, 2, 3) }'
    document.head.append(style)
    try {
      const element = await clickFollowing('processing')
      await waitFor(() => element.state === 'submitted', 'submitted')
      const clock = await markOf(element)
      equal(clock.colour, 'rgb(1, 2, 3)')
      equal(clock.before, '""')
    } finally {
      style.remove()
    }
  })

  it('after document_unverified, reads "Try again" on the button, which takes focus from the confirmation', async () => {
    const element = await clickFollowing('requires_input:document_unverified_other')
    // The server's last_error is believed from 3 s after the submission.
    await waitFor(() => element.state === 'requires-input', 'requires-input', 6000)
    await waitFor(() => element.shadowRoot!.activeElement === buttonOf(element), 'focus on the button')
    equal(buttonOf(element)!.textContent, 'Try again')
    equal(messageOf(element).textContent, en.requires_input)
    equal((await markOf(element)).colour, 'rgb(178, 94, 9)')
    equal(element.value, '')
  })

  it('reads "Try again" in the page’s language: Réessayer on a lang="fr" page', async () => {
    document.documentElement.lang = 'fr'
    const element = await clickFollowing('requires_input:document_unverified_other')
    await waitFor(() => element.state === 'requires-input', 'requires-input', 6000)
    await waitFor(() => element.shadowRoot!.activeElement === buttonOf(element), 'focus on the button')
    equal(buttonOf(element)!.textContent, 'Réessayer')
    equal(buttonOf(element)!.textContent, fr.retry)
    equal(messageOf(element).textContent, fr.requires_input)
  })

  it('after an error, reads "Try again" on the focused button, but keeps the label on a page not set up', async () => {
    const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName(), 'status=500').session})
    await element.updateComplete
    element.start()
    await waitFor(() => element.state === 'error', 'error')
    await element.updateComplete
    equal(buttonOf(element)!.textContent, en.retry)
    equal(element.shadowRoot!.activeElement, buttonOf(element))
    deepEqual(
      events.seen.map((event) => event.type),
      ['identity-verify-start', 'identity-verify-error'],
    )

    // Nothing the visitor can try again: no key.
    const unset = mount({endpoint: endpoints(uniqueName()).session}, 'Verify me')
    await unset.updateComplete
    buttonOf(unset)!.click()
    await waitFor(() => unset.state === 'error', 'error')
    await unset.updateComplete
    equal(buttonOf(unset)!.querySelector('slot')!.assignedNodes()[0]!.textContent, 'Verify me')
  })

  for (const accent of ['#ffe14d', '#635bff', '#1e1b4b', '#767676', '#777777']) {
    it(`picks a label that reads at 4.5:1 on ${accent}, and a focus ring at 3:1 against it and any page`, async () => {
      const before = document.createElement('button')
      before.textContent = 'before'
      document.body.append(before)
      try {
        const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, accent, prefetch: 'none'})
        await intentLooks(element)
        const button = buttonOf(element)!
        const style = getComputedStyle(button)
        ok(contrast(style.color, style.backgroundColor) >= 4.5, `label ${style.color} on ${style.backgroundColor}`)
        before.focus()
        await sendKeys({press: 'Tab'})
        equal(element.shadowRoot!.activeElement, button)
        const inner = style.borderTopColor
        const outer = style.outlineColor
        equal(style.outlineStyle, 'solid')
        ok(parseFloat(style.outlineWidth) >= 2 && parseFloat(style.borderTopWidth) >= 2, 'two bands of 2px')
        // The inner band touches the accent; of the two, one reads on any page.
        ok(contrast(inner, accent) >= 3, `inner band ${inner} on ${accent}`)
        for (const page of PAGES) ok(Math.max(contrast(inner, page), contrast(outer, page)) >= 3, `ring ${inner}/${outer} on ${page}`)
      } finally {
        before.remove()
      }
    })
  }

  it('keeps the label colour a site sets', async () => {
    const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, accent: '#ffe14d'})
    element.style.setProperty('--identity-verify-accent-text', 'rgb(10, 20, 30)')
    await element.updateComplete
    equal(getComputedStyle(buttonOf(element)!).color, 'rgb(10, 20, 30)')
  })

  it('shows hover as a change of colour that keeps the label readable', async () => {
    const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, prefetch: 'none'})
    await intentLooks(element)
    const button = buttonOf(element)!
    const resting = getComputedStyle(button).backgroundColor
    const box = button.getBoundingClientRect()
    await sendMouse({type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)]})
    await waitFor(() => button.matches(':hover'), 'hover')
    const hovered = getComputedStyle(button)
    ok(contrast(hovered.backgroundColor, resting) > 1.2, `${hovered.backgroundColor} against ${resting}`)
    ok(contrast(hovered.color, hovered.backgroundColor) >= 4.5, 'the label on the hovered button')
  })

  it('shows a disabled button at 3:1 or more against the page, its label readable', async () => {
    document.body.style.background = '#fff'
    try {
      const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, accent: '#ffe14d', disabled: ''})
      await element.updateComplete
      const style = getComputedStyle(buttonOf(element)!)
      equal(style.opacity, '1')
      equal(style.borderTopStyle, 'dashed')
      ok(contrast(style.borderTopColor, '#fff') >= 3, `border ${style.borderTopColor}`)
      ok(contrast(style.color, '#fff') >= 4.5, `label ${style.color}`)
      deepEqual(painted(style.color), painted(getComputedStyle(document.body).color))
    } finally {
      document.body.style.background = ''
    }
  })
})
