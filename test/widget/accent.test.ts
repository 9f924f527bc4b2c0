// The `accent` attribute: the button's colour without a `style` attribute, which a page's
// Content-Security-Policy may refuse (test/e2e/embed-builder.test.ts checks it under one).
import '../../widget/identity-verify-define.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'
import {equal} from './assert.js'
import {buttonOf, cleanUp, endpoints, mount, uniqueName} from './harness.js'

const KEY = 'pk_test_accent'

/** The button's background colour, as the user sees it. */
const colourOf = (element: IdentityVerifyElement) => getComputedStyle(buttonOf(element)!).backgroundColor

describe('<identity-verify accent>', () => {
  afterEach(cleanUp)

  it('colours the button with any CSS colour, set on the element as --identity-verify-accent', async () => {
    const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, accent: '#0a7'})
    await element.updateComplete
    equal(colourOf(element), 'rgb(0, 170, 119)')
    equal(element.style.getPropertyValue('--identity-verify-accent'), '#0a7')
    element.accent = 'rebeccapurple'
    await element.updateComplete
    equal(colourOf(element), 'rgb(102, 51, 153)')
  })

  it('ignores a value that is not a colour, and goes back to the default when removed', async () => {
    const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, accent: 'url(https://evil.example/x)'})
    await element.updateComplete
    equal(colourOf(element), 'rgb(99, 91, 255)')
    equal(element.style.getPropertyValue('--identity-verify-accent'), '')
    element.setAttribute('accent', 'teal')
    await element.updateComplete
    equal(colourOf(element), 'rgb(0, 128, 128)')
    element.setAttribute('accent', 'not a colour; background: red')
    await element.updateComplete
    equal(colourOf(element), 'rgb(99, 91, 255)')
    element.setAttribute('accent', 'teal')
    await element.updateComplete
    element.removeAttribute('accent')
    await element.updateComplete
    equal(colourOf(element), 'rgb(99, 91, 255)')
  })

  it('leaves a colour the page set in its stylesheet alone when it has no accent', async () => {
    const style = document.createElement('style')
    style.textContent = 'identity-verify.branded { --identity-verify-accent: #0f766e }'
    document.head.append(style)
    try {
      const element = mount({'publishable-key': KEY, endpoint: endpoints(uniqueName()).session, class: 'branded'})
      await element.updateComplete
      equal(colourOf(element), 'rgb(15, 118, 110)')
    } finally {
      style.remove()
    }
  })
})
