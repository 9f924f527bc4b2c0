// The client secret reaches Stripe.js and nothing else a page, a script or a user can read.
import '../../widget/identity-verify-define.js'
import {excludes, ok} from './assert.js'
import {installStripeDouble, stripeDouble, stripeError, submitted} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, mount, otherOrigin, record, statusAsked, uniqueName, waitFor} from './harness.js'

installStripeDouble()

/** Everything written to the console while the tests run. */
const consoleOutput: string[] = []
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method]
  console[method] = (...args: unknown[]) => {
    consoleOutput.push(args.map(String).join(' '))
    original.apply(console, args)
  }
}

/** The markup of the page, shadow roots included. */
function markup(root: Node = document.documentElement): string {
  let html = root instanceof Element ? root.outerHTML : ''
  for (const element of (root instanceof Element || root instanceof ShadowRoot ? root : document).querySelectorAll('*'))
    if (element.shadowRoot) html += element.shadowRoot.innerHTML + markup(element.shadowRoot)
  return html
}

const dump = (storage: Storage) => JSON.stringify(Object.entries(storage))

describe('<identity-verify> and the client secret', () => {
  afterEach(cleanUp)

  it('keeps the client secret out of events, attributes, the DOM, storage, URLs and the console', async () => {
    const events = record()
    try {
      const name = uniqueName()
      // On another origin, whose server hands out a visitor credential that the element keeps in storage.
      const element = mount({
        'publishable-key': 'pk_test_secrets',
        endpoint: endpoints(name, 'visitor=credential-secrets', otherOrigin).session,
        'status-endpoint': endpoints(name, '', otherOrigin).status('processing,verified', 'visitor=credential-secrets'),
      })
      await statusAsked(name)
      await element.start()
      await waitFor(() => element.state === 'verified', 'verified', 4000)
      for (const respond of [() => stripeError('consent_declined'), () => stripeError('session_cancelled')]) {
        stripeDouble.respond = respond
        const other = mount({'publishable-key': 'pk_test_secrets', endpoint: endpoints(uniqueName()).session})
        await other.updateComplete
        buttonOf(other)!.click()
        await waitFor(() => other.state === 'error' || other.state === 'canceled', 'the modal to close')
      }
      stripeDouble.respond = () => submitted

      ok(stripeDouble.secrets.length === 3, 'Stripe.js received a client secret for each session')
      ok(dump(localStorage).includes('credential-secrets'), 'the visitor credential is in storage, and nothing else of the flow')
      const places = {
        'an event detail': JSON.stringify(events.seen),
        'the DOM': markup(),
        localStorage: dump(localStorage),
        sessionStorage: dump(sessionStorage),
        'the cookies': document.cookie,
        'the page URL': location.href,
        'a requested URL': performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .join('\n'),
        'the history': JSON.stringify(history.state),
        'the console': consoleOutput.join('\n'),
      }
      for (const secret of stripeDouble.secrets) {
        ok(secret.includes('_secret_'), `${secret} is a client secret`)
        for (const [where, text] of Object.entries(places)) excludes(text, secret.split('_secret_')[1], where)
      }
    } finally {
      events.stop()
    }
  })
})
