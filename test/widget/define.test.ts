// How the element gets its tag: the define module on import, or `IdentityVerifyElement.define()`.
// This page starts with nothing registered; the tests run in order.
import {IdentityVerifyElement} from '../../widget/identity-verify.js'
import {equal, ok} from './assert.js'
import {waitFor} from './harness.js'

/** Mounts `<tag>` and resolves with its button once it has rendered. */
async function buttonOfNew(tag: string, root: ParentNode = document.body) {
  const element = document.createElement(tag)
  root.append(element)
  await waitFor(() => element.shadowRoot?.querySelector('button'), `the button of <${tag}>`)
  return {element, button: element.shadowRoot!.querySelector('button')!}
}

describe('IdentityVerifyElement.define', () => {
  it('is what the define module does: <identity-verify> is the class itself', async () => {
    equal(customElements.get('identity-verify'), undefined)
    // Imported only now, when the test runs, so that nothing is registered before.
    await import('../../widget/identity-verify-define.js')
    equal(customElements.get('identity-verify'), IdentityVerifyElement)
    const {element} = await buttonOfNew('identity-verify')
    element.remove()
  })

  it('does not throw when called again, and keeps the first definition', () => {
    IdentityVerifyElement.define()
    IdentityVerifyElement.define('identity-verify', customElements)
    equal(customElements.get('identity-verify'), IdentityVerifyElement)
  })

  it('registers another tag with a subclass of its own, since a class serves one tag per registry', async () => {
    IdentityVerifyElement.define('x-verify')
    const registered = customElements.get('x-verify')
    ok(registered && registered !== IdentityVerifyElement, 'x-verify has a class of its own')
    const {element, button} = await buttonOfNew('x-verify')
    ok(element instanceof IdentityVerifyElement, 'an <x-verify> is an IdentityVerifyElement')
    equal(button.getAttribute('part'), 'button')
    element.remove()
    IdentityVerifyElement.define('x-verify')
    equal(customElements.get('x-verify'), registered)
  })

  it("registers a page's own subclass as itself", () => {
    class MyVerify extends IdentityVerifyElement {}
    MyVerify.define('my-verify')
    equal(customElements.get('my-verify'), MyVerify)
  })

  it('registers in a scoped registry, apart from the global one', async () => {
    const registry = new CustomElementRegistry()
    IdentityVerifyElement.define('identity-verify', registry)
    equal(registry.get('identity-verify'), IdentityVerifyElement)
    IdentityVerifyElement.define('other-verify', registry)
    ok(registry.get('other-verify') !== IdentityVerifyElement, 'another tag in that registry has its own class')
    equal(customElements.get('other-verify'), undefined)
    const host = document.createElement('div')
    document.body.append(host)
    const shadow = host.attachShadow({mode: 'open', customElementRegistry: registry} as ShadowRootInit)
    try {
      const {element} = await buttonOfNew('identity-verify', shadow)
      ok(element instanceof IdentityVerifyElement, 'created in the shadow root from its registry')
    } finally {
      host.remove()
    }
  })
})
