// Warnings for the person setting a page up: on the console, once per cause per page, from a module
// the element loads only when one is due. The tests run in order: the first needs a page that has
// not loaded that module yet.
import '../../widget/identity-verify-define.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'
import {deepEqual, equal, excludes, ok} from './assert.js'
import {installStripeDouble, stripeDouble} from './stripe-double.js'
import {buttonOf, cleanUp, endpoints, mount, otherOrigin, record, sleep, statusAsked, uniqueName, waitFor} from './harness.js'
import {english as en} from './english.js'

installStripeDouble()

const KEY = 'pk_test_warnings'

/** The element's warnings so far. */
const warnings: string[] = []
const originalWarn = console.warn
console.warn = (...args: unknown[]) => {
  if (String(args[0]).startsWith('identity-verify')) warnings.push(args.map(String).join(' '))
  originalWarn.apply(console, args)
}

/** Whether the page has fetched the warnings module. */
const warningsLoaded = () => performance.getEntriesByType('resource').some((entry) => /\/widget\/setup-warnings\.(js|ts)$/.test(new URL(entry.name).pathname))

/** Clicks the element's button `times` times, each once the previous flow has ended in an error. */
async function clickUntilError(element: IdentityVerifyElement, times = 2) {
  const events = record()
  try {
    await element.updateComplete
    for (let click = 1; click <= times; click++) {
      buttonOf(element)!.click()
      await waitFor(() => events.seen.filter((event) => event.type === 'identity-verify-error').length === click, `error ${click}`)
    }
    return events.seen.filter((event) => event.type === 'identity-verify-error').map((event) => event.detail)
  } finally {
    events.stop()
  }
}

/** Waits for the `count`th warning, then a moment for any that should not come. */
async function warned(count: number) {
  await waitFor(() => warnings.length >= count, `warning ${count}`)
  await sleep(100)
  equal(warnings.length, count, warnings.join('\n'))
  return warnings[count - 1]
}

describe('<identity-verify> setup warnings', () => {
  afterEach(cleanUp)

  it('loads no warnings and says nothing when the page is set up right', async () => {
    const name = uniqueName()
    const element = mount({
      'publishable-key': KEY,
      endpoint: endpoints(name).session,
      'status-endpoint': endpoints(name).status('processing,verified'),
    })
    // The server's 204 on connect: nothing to show yet, which is no mistake of the page.
    await statusAsked(name)
    await element.start()
    await waitFor(() => element.state === 'verified', 'verified', 6000)
    equal(warningsLoaded(), false)
    deepEqual(warnings, [])
  })

  it('warns once of a publishable key that is not one, telling a secret key apart, however often it is clicked', async () => {
    const secretKey = mount({'publishable-key': 'sk_test_oops', endpoint: endpoints(uniqueName()).session})
    deepEqual(
      (await clickUntilError(secretKey)).map((detail) => (detail as {code: string}).code),
      ['config', 'config'],
    )
    const warning = await warned(1)
    ok(warning.startsWith('identity-verify: '), warning)
    ok(warning.includes('pk_test_…') && warning.includes('pk_live_…'), warning)
    ok(warning.includes('secret key'), warning)
    excludes(warning, 'sk_test_oops', 'the warning')
    equal(warningsLoaded(), true)
    await clickUntilError(mount({endpoint: endpoints(uniqueName()).session}))
    await warned(1)
  })

  it('warns once when the endpoint answers a page rather than the server', async () => {
    const name = uniqueName()
    const endpoint = endpoints(name, 'html=1').session
    const element = mount({'publishable-key': KEY, endpoint})
    const [error] = await clickUntilError(element)
    deepEqual(error, {...(error as object), code: 'session_failed', status: 200})
    const warning = await warned(2)
    ok(warning.includes(new URL(endpoint, location.href).href), warning)
    ok(warning.includes('HTML'), warning)
    ok(warning.includes('/create-verification-session'), warning)
    // JSON without a client secret is the same mistake.
    await clickUntilError(mount({'publishable-key': KEY, endpoint: endpoints(uniqueName(), 'secret=none').session}), 1)
    await warned(2)
  })

  it('does not warn of an error the server answers in JSON', async () => {
    await clickUntilError(mount({'publishable-key': KEY, endpoint: endpoints(uniqueName(), 'status=429').session}), 1)
    await warned(2)
  })

  it("warns once, naming this page's origin and the setting, when the server refuses the page's origin", async () => {
    const element = mount({
      'publishable-key': KEY,
      endpoint: endpoints(uniqueName(), 'status=403&code=forbidden_origin', otherOrigin).session,
    })
    const errors = await clickUntilError(element)
    // For the visitor, the page is not set up: nothing they can try again.
    deepEqual(errors[0], {code: 'config', message: en.config})
    const warning = await warned(3)
    ok(warning.includes(location.origin), warning)
    ok(warning.includes(otherOrigin), warning)
    ok(warning.includes('ALLOWED_ORIGINS') && warning.includes('allowedOrigins'), warning)
  })

  it('warns once when the status endpoint answers 404, which the server never does, in JSON or not', async () => {
    const name = uniqueName()
    const statusEndpoint = endpoints(name).status('404', 'returning=1')
    mount({'publishable-key': KEY, endpoint: endpoints(name).session, 'status-endpoint': statusEndpoint})
    const warning = await warned(4)
    ok(warning.includes(new URL(statusEndpoint, location.href).href), warning)
    ok(warning.includes('/verification-session'), warning)
    const again = uniqueName()
    mount({'publishable-key': KEY, endpoint: endpoints(again).session, 'status-endpoint': endpoints(again).status('page404', 'returning=1')})
    await statusAsked(again)
    await warned(4)
  })

  it('never says a client secret', () => {
    ok(stripeDouble.secrets.length > 0)
    for (const secret of stripeDouble.secrets) excludes(warnings.join('\n'), secret.split('_secret_')[1], 'a warning')
  })
})
