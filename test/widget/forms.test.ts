import '../../widget/identity-verify-define.js'
import {deepEqual, equal, ok} from './assert.js'
import {installStripeDouble, stripeDouble, submitted} from './stripe-double.js'
import {buttonOf, endpoints, record, uniqueName, waitFor} from './harness.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'

installStripeDouble()

// With `name`, the element is a field of its form: the session id once the user has submitted, and
// with `required`, a form that does not submit before that.

/** A form holding an email field and `<identity-verify name="identity" required>`, on fresh endpoints. */
function formWithElement(extra = '') {
  const name = uniqueName()
  const form = document.createElement('form')
  form.innerHTML = `<input name="email" value="ada@example.com"><fieldset><identity-verify name="identity" required publishable-key="pk_test_forms" endpoint="${endpoints(name).session}" ${extra}>Verify</identity-verify></fieldset>`
  document.body.append(form)
  const element = form.querySelector('identity-verify') as IdentityVerifyElement
  return {name, form, element, fieldset: form.querySelector('fieldset')!}
}

const entries = (form: HTMLFormElement) => [...new FormData(form)].map(([key, value]) => `${key}=${value}`)

describe('<identity-verify> in a form', () => {
  let events: ReturnType<typeof record>
  beforeEach(() => {
    events = record()
    stripeDouble.respond = () => submitted
  })
  afterEach(() => {
    events.stop()
    document.querySelectorAll('form').forEach((form) => form.remove())
  })

  it('keeps a required form from submitting until the user has submitted, then the form holds the session id, and reset() clears it', async () => {
    const {name, form, element} = formWithElement()
    await element.updateComplete
    equal(form.checkValidity(), false)
    equal(element.validity.valueMissing, true)
    equal(element.validationMessage, 'Verify your identity')
    deepEqual(entries(form), ['email=ada@example.com'])

    buttonOf(element)!.click()
    await waitFor(() => events.seen.some((event) => event.type === 'identity-verify-submitted'), 'the submission')
    equal(element.value, `vs_${name}`)
    equal(form.checkValidity(), true)
    deepEqual(entries(form), ['email=ada@example.com', `identity=vs_${name}`])

    form.reset()
    await element.updateComplete
    equal(element.value, '')
    equal(element.state, 'idle')
    ok(buttonOf(element), 'the button is back')
    equal(form.checkValidity(), false)
    deepEqual(entries(form), ['email=ada@example.com'])
  })

  it('says what is missing in the element’s language', async () => {
    const {element} = formWithElement('lang="fr"')
    await waitFor(() => element.validationMessage === 'Vérifier votre identité', 'the French message')
  })

  it('does not block a form when not required', async () => {
    const {form, element} = formWithElement()
    element.required = false
    await element.updateComplete
    equal(form.checkValidity(), true)
  })

  it('is disabled by a disabled fieldset, as a native control, and enabled again with it', async () => {
    const {form, element, fieldset} = formWithElement()
    fieldset.disabled = true
    await element.updateComplete
    equal(buttonOf(element)!.disabled, true)
    ok(element.matches(':disabled'))
    await element.start()
    deepEqual(events.seen, [], 'nothing starts')
    // A disabled control is left out of validation, as a disabled native one is.
    equal(form.checkValidity(), true)
    fieldset.disabled = false
    await element.updateComplete
    equal(buttonOf(element)!.disabled, false)
    equal(form.checkValidity(), false)
  })
})
