import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type Stripe from 'stripe'
import {SESSION_EXPANDABLE} from '../../emulator/session-view.js'
import {createStripeClient} from '../../server/stripe/client.js'
import {emulatorForTests} from './emulator-fixture.js'
import {stripeOpenApi} from './stripe-schema.js'

// Every answer here is also checked against Stripe's schema by the fixture.
const t = emulatorForTests()

const submit = (id: string, outcome: string) => fetch(`${t.emulator.url}/emulator/verification_sessions/${id}/submit`, {method: 'POST', body: new URLSearchParams({outcome})})

/** A session created with these parameters and played to `outcome`. */
async function sessionPlayed(outcome: string, params: Stripe.Identity.VerificationSessionCreateParams = {type: 'document'}): Promise<string> {
  const {id} = await t.stripe.identity.verificationSessions.create(params)
  assert.equal((await submit(id, outcome)).status, 200)
  return id
}

describe('a VerificationSession without expand', () => {
  it('leaves verified_outputs and provided_details out, as Stripe does, in a retrieve, a list and the events', async () => {
    const id = await sessionPlayed('verified', {type: 'document', client_reference_id: 'plain', provided_details: {email: 'jenny@example.com'}})
    const retrieved = await t.stripe.identity.verificationSessions.retrieve(id)
    assert.equal(retrieved.status, 'verified')
    assert.ok(!('verified_outputs' in retrieved), 'verified_outputs without expand')
    assert.ok(!('provided_details' in retrieved), 'provided_details without expand')
    const [listed] = (await t.stripe.identity.verificationSessions.list({client_reference_id: 'plain'})).data
    assert.ok(!('verified_outputs' in listed) && !('provided_details' in listed))
    const events = (await t.stripe.events.list({limit: 100})).data.filter((e) => (e.data.object as {id: string}).id === id)
    assert.ok(events.length >= 3)
    for (const event of events) assert.doesNotMatch(JSON.stringify(event.data.object), /verified_outputs|provided_details|jenny@example\.com|Rosen/, event.type)
  })
})

describe('expanding a VerificationSession', () => {
  it('answers verified_outputs when expanded, without its date of birth or ID number', async () => {
    const id = await sessionPlayed('verified')
    const session = await t.stripe.identity.verificationSessions.retrieve(id, {expand: ['verified_outputs']})
    const outputs = session.verified_outputs!
    assert.equal(outputs.first_name, 'Jenny')
    assert.equal(outputs.last_name, 'Rosen')
    assert.equal(outputs.address?.city, 'San Francisco')
    assert.equal(outputs.id_number_type, null)
    assert.ok(!('dob' in outputs) && !('id_number' in outputs), 'the sensitive fields need their own expand')
  })

  it('answers the date of birth for verified_outputs.dob, with the restricted key Stripe’s guide uses', async () => {
    const id = await sessionPlayed('verified')
    const restricted = createStripeClient({secretKey: 'rk_test_identity_sensitive', emulatorUrl: t.emulator.url, maxNetworkRetries: 0})
    const session = await restricted.identity.verificationSessions.retrieve(id, {expand: ['verified_outputs.dob']})
    assert.deepEqual(session.verified_outputs?.dob, {day: 1, month: 1, year: 1901})
    assert.equal(session.verified_outputs?.first_name, 'Jenny', 'expanding a field inside verified_outputs includes verified_outputs')
    assert.ok(!('id_number' in session.verified_outputs!))
  })

  it('answers the ID number of a session that checked one for verified_outputs.id_number', async () => {
    const id = await sessionPlayed('verified', {type: 'id_number'})
    const session = await t.stripe.identity.verificationSessions.retrieve(id, {expand: ['verified_outputs.id_number', 'verified_outputs.dob']})
    assert.equal(session.verified_outputs?.id_number, '000000000')
    assert.equal(session.verified_outputs?.id_number_type, 'us_ssn')
    assert.deepEqual(session.verified_outputs?.dob, {day: 1, month: 1, year: 1901})
  })

  it('answers provided_details when expanded, on create, update and retrieve', async () => {
    const created = await t.stripe.identity.verificationSessions.create({type: 'document', provided_details: {email: 'jenny@example.com'}, expand: ['provided_details']})
    assert.deepEqual(created.provided_details, {email: 'jenny@example.com'})
    const updated = await t.stripe.identity.verificationSessions.update(created.id, {provided_details: {phone: '+15555550100'}, expand: ['provided_details']})
    assert.deepEqual(updated.provided_details, {email: 'jenny@example.com', phone: '+15555550100'})
    const plainUpdate = await t.stripe.identity.verificationSessions.update(created.id, {metadata: {a: '1'}})
    assert.ok(!('provided_details' in plainUpdate))
    const retrieved = await t.stripe.identity.verificationSessions.retrieve(created.id, {expand: ['provided_details']})
    assert.deepEqual(retrieved.provided_details, {email: 'jenny@example.com', phone: '+15555550100'})
  })

  it('answers verified_outputs null for a session not verified, and expands each item of a list with data.', async () => {
    const open = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: 'expand_list', expand: ['verified_outputs']})
    assert.equal(open.verified_outputs, null)
    await sessionPlayed('verified', {type: 'document', client_reference_id: 'expand_list'})
    const list = await t.stripe.identity.verificationSessions.list({client_reference_id: 'expand_list', expand: ['data.verified_outputs']})
    assert.deepEqual(
      list.data.map((s) => s.verified_outputs?.first_name ?? null),
      ['Jenny', null],
    )
  })

  it('expands the last report and its sensitive fields through last_verification_report', async () => {
    const id = await sessionPlayed('verified')
    const session = await t.stripe.identity.verificationSessions.retrieve(id, {expand: ['last_verification_report.document.number']})
    const report = session.last_verification_report as Stripe.Identity.VerificationReport
    assert.equal(report.document?.number, '0000000000')
    assert.ok(!('dob' in report.document!), 'only the field named is expanded')
  })

  it('erases the expanded outputs of a redacted session, the sensitive ones included', async () => {
    const id = await sessionPlayed('verified', {type: 'id_number'})
    await t.stripe.identity.verificationSessions.redact(id)
    const session = await t.stripe.identity.verificationSessions.retrieve(id, {expand: ['verified_outputs.dob', 'verified_outputs.id_number']})
    assert.equal(session.verified_outputs?.first_name, '[redacted]')
    assert.equal(session.verified_outputs?.dob, null)
    assert.equal(session.verified_outputs?.id_number, '[redacted]')
  })

  for (const path of ['client_secret', 'options', 'verified_outputs.colour', 'provided_details.email', 'data.verified_outputs']) {
    it(`answers 400 for expand[]=${path}, which cannot be expanded on a session`, async () => {
      const {id} = await t.stripe.identity.verificationSessions.create({type: 'document'})
      await assert.rejects(t.stripe.identity.verificationSessions.retrieve(id, {expand: [path]}), {
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        param: 'expand',
        message: `This property cannot be expanded (${path}).`,
      })
    })
  }
})

describe("what can be expanded, against Stripe's schema", () => {
  const schemas = stripeOpenApi.components.schemas as Record<string, {properties?: Record<string, unknown>; required?: string[]; 'x-expandableFields'?: string[]}>
  /** The schema a property's value has (its `$ref`, directly or in `anyOf`), by name. */
  const refOf = (property: unknown): string | undefined => {
    const text = JSON.stringify(property)
    return /"#\/components\/schemas\/([^"]+)"/.exec(text)?.[1]
  }

  it('names only paths whose first field Stripe lists as expandable, and whose every step is a field of the schema', () => {
    const session = schemas['identity.verification_session']
    for (const path of SESSION_EXPANDABLE) {
      const [first, ...rest] = path.split('.')
      assert.ok(session['x-expandableFields']!.includes(first), `${path}: ${first} is not in x-expandableFields`)
      let schema = session
      for (const step of [first, ...rest]) {
        assert.ok(schema.properties?.[step], `${path}: no ${step}`)
        const next = refOf(schema.properties[step])
        if (next) schema = schemas[next]
      }
    }
  })

  it('leaves out only fields that Stripe does not require, so the unexpanded answer is still of its shape', () => {
    assert.ok(!schemas['identity.verification_session'].required!.some((field) => ['verified_outputs', 'provided_details'].includes(field)))
    assert.ok(!(schemas.gelato_verified_outputs.required ?? []).some((field) => ['dob', 'id_number', 'sex', 'unparsed_place_of_birth', 'unparsed_sex'].includes(field)))
  })
})
