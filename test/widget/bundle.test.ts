// The built script, dist/identity-verify.js, as a site's script tag loads it (`npm run build` first).
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble} from './stripe-double.js'
import {endpoints, messageOf, record, statusAsked, uniqueName, waitFor} from './harness.js'
import fr from '../../widget/locales/fr.js'

installStripeDouble()

/** Errors the page reports while loading scripts. */
const pageErrors: string[] = []
addEventListener('error', (event) => pageErrors.push(event.message))

/** Adds `<script type="module" src>` to the page and waits for it. */
function addScriptTag(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.type = 'module'
    script.src = src
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`${src} did not load: run npm run build first`))
    document.head.append(script)
  })
}

describe('the script-tag build', () => {
  it('registers <identity-verify>, and a second script tag does not throw', async () => {
    await addScriptTag('/dist/identity-verify.js')
    const registered = customElements.get('identity-verify')
    ok(registered, 'the element is registered')
    await addScriptTag('/dist/identity-verify.js?second-tag')
    equal(customElements.get('identity-verify'), registered)
    deepEqual(pageErrors, [])
  })

  it('keeps the first definition when the npm module is imported as well', async () => {
    const registered = customElements.get('identity-verify')
    // A dynamic import runs only when reached: the npm module loads now, after the script tags.
    const {IdentityVerifyElement} = await import('../../widget/index.js')
    ok(IdentityVerifyElement !== registered, 'the npm module has its own class')
    equal(customElements.get('identity-verify'), registered)
    deepEqual(pageErrors, [])
  })

  it('runs a whole flow, in French, with the built files alone', async () => {
    const events = record()
    const name = uniqueName()
    const element = document.createElement('identity-verify')
    element.setAttribute('lang', 'fr')
    element.setAttribute('publishable-key', 'pk_test_bundle')
    element.setAttribute('endpoint', endpoints(name).session)
    element.setAttribute('status-endpoint', endpoints(name).status('verified'))
    element.textContent = 'Vérifier'
    document.body.append(element)
    try {
      await waitFor(() => element.shadowRoot?.querySelector('button'), 'the button')
      await statusAsked(name)
      element.shadowRoot!.querySelector('button')!.click()
      await waitFor(() => element.getAttribute('state') === 'verified', 'verified')
      deepEqual(
        events.seen.map((event) => event.type),
        ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted', 'identity-verify-status'],
      )
      equal(stripeDouble.secrets.length, 1)
      await waitFor(() => messageOf(element).textContent === fr.verified, 'the French confirmation')
      const fetched = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname)
      ok(fetched.includes('/dist/locales/fr.js'), 'French came from the built files')
      ok(fetched.includes('/dist/stripe-loader.js'), "Stripe's loader came from next to the script")
      equal(fetched.includes('/dist/setup-warnings.js'), false, 'a page set up right loads no warnings')
    } finally {
      events.stop()
      element.remove()
    }
  })
})
