import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import Stripe from 'stripe'
import {createStripeClient} from '../../server/stripe/client.js'
import {emulatorForTests} from './emulator-fixture.js'

// Webhooks go to a closed port: these tests look at the API only.
const t = emulatorForTests()

const submit = (id: string, outcome: string) => fetch(`${t.emulator.url}/emulator/verification_sessions/${id}/submit`, {method: 'POST', body: new URLSearchParams({outcome})})

describe('creating a VerificationSession', () => {
  it('answers a requires_input session with nested options, metadata and a client secret', async () => {
    const session = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'user_1',
      metadata: {user_id: 'user_1', plan: 'pro'},
      options: {document: {allowed_types: ['passport', 'id_card'], require_matching_selfie: true, require_live_capture: false}},
    })
    assert.match(session.id, /^vs_[A-Za-z0-9]{24}$/)
    assert.equal(session.object, 'identity.verification_session')
    assert.equal(session.status, 'requires_input')
    assert.equal(session.type, 'document')
    assert.equal(session.livemode, false)
    assert.equal(session.client_reference_id, 'user_1')
    assert.deepEqual(session.metadata, {user_id: 'user_1', plan: 'pro'})
    assert.deepEqual(session.options, {document: {allowed_types: ['passport', 'id_card'], require_matching_selfie: true, require_live_capture: false}})
    assert.equal(session.last_error, null)
    assert.equal(session.redaction, null)
    assert.match(session.client_secret!, new RegExp(`^${session.id}_secret_test_[A-Za-z0-9]+$`))
    assert.match(session.lastResponse.requestId, /^req_/)
  })

  it('answers 400 parameter_missing without a type', async () => {
    await assert.rejects(t.stripe.identity.verificationSessions.create({}), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError)
      assert.equal(err.statusCode, 400)
      assert.equal(err.code, 'parameter_missing')
      assert.equal(err.param, 'type')
      return true
    })
  })

  for (const [name, params, param] of [
    ['an unknown type', {type: 'selfie'}, 'type'],
    ['an unknown document type', {type: 'document', options: {document: {allowed_types: ['library_card']}}}, 'options[document][allowed_types][0]'],
    ['a flag that is not a boolean', {type: 'document', options: {document: {require_id_number: 'yes'}}}, 'options[document][require_id_number]'],
    ['an unknown parameter', {type: 'document', colour: 'blue'}, 'colour'],
    ['a metadata key over 40 characters', {type: 'document', metadata: {['k'.repeat(41)]: 'v'}}, `metadata[${'k'.repeat(41)}]`],
    ['a metadata value over 500 characters', {type: 'document', metadata: {note: 'v'.repeat(501)}}, 'metadata[note]'],
    ['more than 50 metadata keys', {type: 'document', metadata: Object.fromEntries(Array.from({length: 51}, (_, i) => [`k${i}`, 'v']))}, 'metadata'],
    ['an expand of a field that cannot be expanded', {type: 'document', expand: ['client_secret']}, 'expand'],
  ] as const) {
    it(`answers 400 invalid_request_error for ${name}`, async () => {
      await assert.rejects(t.stripe.identity.verificationSessions.create(params as Stripe.Identity.VerificationSessionCreateParams), (err: Stripe.errors.StripeError) => {
        assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError, String(err))
        assert.equal(err.statusCode, 400)
        assert.equal(err.param, param)
        return true
      })
    })
  }
})

describe('retrieving a VerificationSession', () => {
  it('carries a fresh client secret each time while requires_input, and neither secret nor URL once verified', async () => {
    const created = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const first = await t.stripe.identity.verificationSessions.retrieve(created.id)
    const second = await t.stripe.identity.verificationSessions.retrieve(created.id)
    assert.notEqual(first.client_secret, created.client_secret)
    assert.notEqual(second.client_secret, first.client_secret)
    assert.ok(second.client_secret!.startsWith(`${created.id}_secret_`))
    assert.equal((await submit(created.id, 'verified')).status, 200)
    const verified = await t.stripe.identity.verificationSessions.retrieve(created.id)
    assert.equal(verified.status, 'verified')
    assert.equal(verified.client_secret, null)
    assert.equal(verified.url, null)
  })

  it('answers 404 resource_missing for an unknown id', async () => {
    await assert.rejects(t.stripe.identity.verificationSessions.retrieve('vs_doesnotexist'), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError)
      assert.equal(err.statusCode, 404)
      assert.equal(err.code, 'resource_missing')
      assert.match(err.message, /No such verification session: 'vs_doesnotexist'/)
      return true
    })
  })
})

describe('listing VerificationSessions', () => {
  it('pages newest first with limit, starting_after and ending_before', async () => {
    const reference = `list_${Date.now()}`
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: reference})).id)
    const newestFirst = [...ids].reverse()

    const page1 = await t.stripe.identity.verificationSessions.list({client_reference_id: reference, limit: 2})
    assert.deepEqual(
      page1.data.map((s) => s.id),
      newestFirst.slice(0, 2),
    )
    assert.equal(page1.has_more, true)
    assert.equal(page1.url, '/v1/identity/verification_sessions')
    for (const listed of page1.data) {
      assert.match(listed.client_secret!, new RegExp(`^${listed.id}_secret_`), 'a requires_input session is listed with a client secret, as retrieve answers it')
      assert.equal(listed.url, (await t.stripe.identity.verificationSessions.retrieve(listed.id)).url)
    }

    const page2 = await t.stripe.identity.verificationSessions.list({client_reference_id: reference, limit: 2, starting_after: page1.data[1].id})
    assert.deepEqual(
      page2.data.map((s) => s.id),
      newestFirst.slice(2, 4),
    )
    const back = await t.stripe.identity.verificationSessions.list({client_reference_id: reference, limit: 2, ending_before: page2.data[0].id})
    assert.deepEqual(
      back.data.map((s) => s.id),
      newestFirst.slice(0, 2),
    )

    const all: string[] = []
    for await (const s of t.stripe.identity.verificationSessions.list({client_reference_id: reference, limit: 2})) all.push(s.id)
    assert.deepEqual(all, newestFirst)
  })

  it('filters by status', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: 'filter_status'})
    await t.stripe.identity.verificationSessions.cancel(session.id)
    const canceled = await t.stripe.identity.verificationSessions.list({status: 'canceled', limit: 100})
    assert.ok(canceled.data.some((s) => s.id === session.id))
    assert.ok(canceled.data.every((s) => s.status === 'canceled'))
    const open = await t.stripe.identity.verificationSessions.list({status: 'requires_input', limit: 100})
    assert.ok(!open.data.some((s) => s.id === session.id))
  })

  it('answers 400 for a limit over 100 or an unknown status, and 404 for an unknown cursor', async () => {
    await assert.rejects(t.stripe.identity.verificationSessions.list({limit: 101}), {type: 'StripeInvalidRequestError', statusCode: 400, param: 'limit'})
    await assert.rejects(t.stripe.identity.verificationSessions.list({starting_after: 'vs_nope'}), {type: 'StripeInvalidRequestError', statusCode: 404, param: 'starting_after'})
    await assert.rejects(t.stripe.identity.verificationSessions.list({status: 'approved'}), {type: 'StripeInvalidRequestError', statusCode: 400, param: 'status'})
  })
})

describe('updating, canceling and redacting', () => {
  it('updates metadata, and an empty value removes a key', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', metadata: {a: '1', b: '2'}})
    const updated = await t.stripe.identity.verificationSessions.update(session.id, {metadata: {a: '', c: '3'}})
    assert.deepEqual(updated.metadata, {b: '2', c: '3'})
  })

  it('cancels a requires_input session and emits canceled', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const canceled = await t.stripe.identity.verificationSessions.cancel(session.id)
    assert.equal(canceled.status, 'canceled')
    assert.equal(canceled.client_secret, null)
    const events = await t.stripe.events.list({type: 'identity.verification_session.canceled', limit: 5})
    assert.equal(objectId(events.data[0]), session.id)
  })

  it('answers 400 when canceling a verified session', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    await submit(session.id, 'verified')
    await assert.rejects(t.stripe.identity.verificationSessions.cancel(session.id), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError)
      assert.equal(err.statusCode, 400)
      assert.match(err.message, /status of verified/)
      return true
    })
  })

  it('redacts a verified session: metadata and outputs erased, redaction processing then redacted', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', metadata: {user_id: 'u9'}, client_reference_id: 'u9'})
    await submit(session.id, 'verified')
    const redacted = await t.stripe.identity.verificationSessions.redact(session.id, {expand: ['verified_outputs']})
    assert.equal(redacted.status, 'verified')
    assert.deepEqual(redacted.metadata, {})
    assert.deepEqual(redacted.redaction, {status: 'processing'})
    assert.equal(redacted.verified_outputs?.first_name, '[redacted]')
    assert.equal(redacted.client_reference_id, 'u9', 'the integrator keeps its own reference')
    await assert.rejects(t.stripe.identity.verificationSessions.update(session.id, {metadata: {again: '1'}}), {type: 'StripeInvalidRequestError', statusCode: 400})
    await waitUntil(async () => (await t.stripe.identity.verificationSessions.retrieve(session.id)).redaction?.status === 'redacted')
    const types = (await t.stripe.events.list({limit: 100})).data.filter((e) => objectId(e) === session.id).map((e) => e.type)
    assert.equal(types[0], 'identity.verification_session.redacted')
  })

  it('cancels a requires_input session it redacts, as Stripe does', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', metadata: {user_id: 'u10'}})
    const redacted = await t.stripe.identity.verificationSessions.redact(session.id)
    assert.equal(redacted.status, 'canceled')
    assert.deepEqual(redacted.metadata, {})
    await waitUntil(async () => (await t.stripe.events.list({type: 'identity.verification_session.redacted', limit: 20})).data.some((e) => objectId(e) === session.id))
    const types = (await t.stripe.events.list({limit: 100})).data
      .filter((e) => objectId(e) === session.id)
      .map((e) => e.type)
      .reverse()
    assert.deepEqual(types, ['identity.verification_session.created', 'identity.verification_session.canceled', 'identity.verification_session.redacted'])
  })

  it('answers 400 when redacting a processing session', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    await submit(session.id, 'processing')
    await assert.rejects(t.stripe.identity.verificationSessions.redact(session.id), {type: 'StripeInvalidRequestError', statusCode: 400})
  })
})

describe('the client secret and URL, once a session has left requires_input', () => {
  it('answers url null after a cancel, in the answer and in every retrieve after', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    assert.ok(session.url)
    const canceled = await t.stripe.identity.verificationSessions.cancel(session.id)
    assert.deepEqual([canceled.client_secret, canceled.url], [null, null])
    const retrieved = await t.stripe.identity.verificationSessions.retrieve(session.id)
    assert.deepEqual([retrieved.client_secret, retrieved.url], [null, null])
  })

  it('answers url null after redacting a requires_input session, and while processing', async () => {
    const open = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const redacted = await t.stripe.identity.verificationSessions.redact(open.id)
    assert.deepEqual([redacted.status, redacted.client_secret, redacted.url], ['canceled', null, null])
    const checking = await t.stripe.identity.verificationSessions.create({type: 'document'})
    await submit(checking.id, 'processing')
    const processing = await t.stripe.identity.verificationSessions.retrieve(checking.id)
    assert.deepEqual([processing.status, processing.client_secret, processing.url], ['processing', null, null])
  })

  it('lists a requires_input session with a client secret the modal accepts and its URL, and the others with neither', async () => {
    const reference = `listed_${Date.now()}`
    const open = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: reference})
    const verified = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: reference})
    await submit(verified.id, 'verified')
    const canceled = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: reference})
    await t.stripe.identity.verificationSessions.cancel(canceled.id)
    const byId = new Map((await t.stripe.identity.verificationSessions.list({client_reference_id: reference})).data.map((s) => [s.id, s]))
    assert.deepEqual([byId.get(verified.id)!.client_secret, byId.get(verified.id)!.url], [null, null])
    assert.deepEqual([byId.get(canceled.id)!.client_secret, byId.get(canceled.id)!.url], [null, null])
    const listed = byId.get(open.id)!
    assert.equal(listed.url, open.url)
    assert.equal((await fetch(listed.url!)).status, 200, 'the listed URL is the hosted page')
    const played = await fetch(`${t.emulator.url}/emulator/verification_sessions/${open.id}/submit`, {
      method: 'POST',
      body: new URLSearchParams({outcome: 'verified', client_secret: listed.client_secret!}),
    })
    assert.deepEqual(await played.json(), {verificationSession: {id: open.id}}, 'the listed client secret is live')
  })
})

describe('provided details and related customers', () => {
  it('keeps provided_details from create, changes them on update, and an empty value removes one', async () => {
    const expand = ['provided_details']
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', provided_details: {email: 'jenny@example.com', phone: '+14155550123'}, expand})
    assert.deepEqual(session.provided_details, {email: 'jenny@example.com', phone: '+14155550123'})
    const retrieved = await t.stripe.identity.verificationSessions.retrieve(session.id, {expand})
    assert.deepEqual(retrieved.provided_details, {email: 'jenny@example.com', phone: '+14155550123'})
    const updated = await t.stripe.identity.verificationSessions.update(session.id, {provided_details: {email: 'rosen@example.com', phone: ''}, expand})
    assert.deepEqual(updated.provided_details, {email: 'rosen@example.com'})
    const events = await t.stripe.events.list({type: 'identity.verification_session.created', limit: 20})
    const created = events.data.find((e) => objectId(e) === session.id)!.data.object as Stripe.Identity.VerificationSession
    assert.ok(!('provided_details' in created), 'an event carries the session unexpanded')
  })

  it('refuses a malformed email, an unknown detail, and a change of details once submitted', async () => {
    await assert.rejects(t.stripe.identity.verificationSessions.create({type: 'document', provided_details: {email: 'not-an-email'}}), {
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'email_invalid',
      param: 'provided_details[email]',
    })
    const unknown = {type: 'document', provided_details: {name: 'Jenny'}} as unknown as Stripe.Identity.VerificationSessionCreateParams
    await assert.rejects(t.stripe.identity.verificationSessions.create(unknown), {type: 'StripeInvalidRequestError', code: 'parameter_unknown', param: 'provided_details[name]'})
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    await submit(session.id, 'verified')
    await assert.rejects(t.stripe.identity.verificationSessions.update(session.id, {provided_details: {email: 'late@example.com'}}), {
      type: 'StripeInvalidRequestError',
      statusCode: 400,
    })
  })

  it('accepts related_customer and related_customer_account, and lists by them', async () => {
    const customer = `cus_${Date.now()}`
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', related_customer: customer})
    assert.equal(session.related_customer, customer)
    const account = await t.stripe.identity.verificationSessions.create({type: 'document', related_customer_account: `acct_${Date.now()}`})
    assert.match(account.related_customer_account!, /^acct_/)
    const listed = await t.stripe.identity.verificationSessions.list({related_customer: customer})
    assert.deepEqual(
      listed.data.map((s) => s.id),
      [session.id],
    )
  })

  it('refuses a verification flow or a related person the account does not have, as Stripe refuses a missing object', async () => {
    await assert.rejects(t.stripe.identity.verificationSessions.create({verification_flow: 'vf_nope'}), {
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'resource_missing',
      param: 'verification_flow',
    })
    await assert.rejects(t.stripe.identity.verificationSessions.create({type: 'document', related_person: {account: 'acct_x', person: 'person_x'}}), {
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      param: 'related_person[person]',
    })
  })
})

describe('redaction reaches every event of the session', () => {
  it('leaves no personal data in any event of a redacted session, retrieved or listed', async () => {
    const session = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      metadata: {user_id: 'u_private'},
      provided_details: {email: 'private@example.com'},
      client_reference_id: 'u_redact',
    })
    await submit(session.id, 'verified')
    const personal = /Jenny|Rosen|1234 Main|San Francisco|u_private|private@example\.com/
    const eventsOf = async () => (await t.stripe.events.list({limit: 100})).data.filter((e) => objectId(e) === session.id)
    const before = await eventsOf()
    assert.match(JSON.stringify(before), personal, 'the events carried personal data before')
    await t.stripe.identity.verificationSessions.redact(session.id)
    await waitUntil(async () => (await eventsOf()).some((e) => e.type === 'identity.verification_session.redacted'))
    for (const event of await eventsOf()) {
      assert.doesNotMatch(JSON.stringify(await t.stripe.events.retrieve(event.id)), personal, event.type)
      assert.doesNotMatch(JSON.stringify(event), personal, event.type)
    }
    const report = await t.stripe.identity.verificationReports.retrieve((await t.stripe.identity.verificationSessions.retrieve(session.id)).last_verification_report as string)
    assert.doesNotMatch(JSON.stringify(report), personal)
    assert.equal(report.document?.status, 'verified', 'the outcome of the check stays')
    assert.equal(report.document?.first_name, '[redacted]')
  })
})

describe('events filters', () => {
  it('filters by created: exact, gt, gte, lt and lte', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const [event] = (await t.stripe.events.list({limit: 1})).data
    assert.equal(objectId(event), session.id)
    const at = event.created
    const ids = async (created: Stripe.RangeQueryParam | number) => (await t.stripe.events.list({created, limit: 100})).data.map((e) => e.id)
    assert.ok((await ids(at)).includes(event.id))
    assert.ok((await ids({gte: at})).includes(event.id))
    assert.ok((await ids({lte: at})).includes(event.id))
    assert.ok(!(await ids({gt: at})).includes(event.id))
    assert.ok(!(await ids({lt: at})).includes(event.id))
    assert.ok((await ids({gt: at - 1, lt: at + 1})).includes(event.id))
  })

  it('refuses an unknown parameter, an unknown bound and a bound that is not a timestamp', async () => {
    const get = (query: string) => fetch(`${t.emulator.url}/v1/events?${query}`, {headers: {Authorization: 'Bearer sk_test_x'}})
    for (const [query, code, param] of [
      ['colour=blue', 'parameter_unknown', 'colour'],
      ['created[after]=1', 'parameter_unknown', 'created[after]'],
      ['created[gt]=yesterday', 'parameter_invalid_integer', 'created[gt]'],
      ['delivery_success=maybe', 'parameter_invalid_boolean', 'delivery_success'],
    ]) {
      const res = await get(query)
      assert.equal(res.status, 400, query)
      const {error} = (await res.json()) as {error: {code: string; param: string}}
      assert.deepEqual([error.code, error.param], [code, param], query)
    }
  })

  it('filters by delivery_success: webhooks to a closed port are never delivered', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const failed = (await t.stripe.events.list({delivery_success: false, limit: 100})).data
    assert.ok(failed.some((e) => objectId(e) === session.id))
    assert.ok(!(await t.stripe.events.list({delivery_success: true, limit: 100})).data.some((e) => objectId(e) === session.id))
  })
})

describe('authentication', () => {
  it('answers 401 without a key, with a bad key and with a live key', async () => {
    const noKey = await fetch(`${t.emulator.url}/v1/identity/verification_sessions`)
    assert.equal(noKey.status, 401)
    assert.match(((await noKey.json()) as {error: {message: string}}).error.message, /did not provide an API key/)
    const live = createStripeClient({secretKey: 'sk_live_abc', emulatorUrl: t.emulator.url, maxNetworkRetries: 0})
    await assert.rejects(live.identity.verificationSessions.list(), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeAuthenticationError)
      assert.match(err.message, /test mode only/)
      return true
    })
    const bad = createStripeClient({secretKey: 'not_a_key', emulatorUrl: t.emulator.url, maxNetworkRetries: 0})
    await assert.rejects(bad.identity.verificationSessions.list(), {type: 'StripeAuthenticationError', statusCode: 401})
  })

  it('answers with the Stripe-Version of the request, or the account default stripe-node pins', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    assert.equal(session.lastResponse.apiVersion, Stripe.API_VERSION)
    for (const version of ['2024-06-20', '2011-06-21', '2024-09-30.acacia', '2025-03-31.basil', '2025-09-30.clover', Stripe.API_VERSION]) {
      const pinned = await fetch(`${t.emulator.url}/v1/events?limit=1`, {headers: {Authorization: 'Bearer sk_test_x', 'Stripe-Version': version}})
      assert.equal(pinned.status, 200, version)
      assert.equal(pinned.headers.get('stripe-version'), version)
    }
    const plain = await fetch(`${t.emulator.url}/v1/events?limit=1`, {headers: {Authorization: 'Bearer sk_test_x'}})
    assert.equal(plain.headers.get('stripe-version'), Stripe.API_VERSION)
  })

  it('answers 400 invalid_request_error for a Stripe-Version that is not one of Stripe’s, through stripe-node', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    for (const version of ['1999-13-45', '2024-02-30', '2010-12-31', tomorrow, '2024-6-20', '2024-06-20.acacia', '2025-03-31.Basil', 'latest', '2024-06-20; identity_beta=v1']) {
      const {port} = new URL(t.emulator.url)
      const client = new Stripe('sk_test_version', {apiVersion: version as Stripe.LatestApiVersion, host: '127.0.0.1', port: Number(port), protocol: 'http', maxNetworkRetries: 0})
      await assert.rejects(client.identity.verificationSessions.create({type: 'document', client_reference_id: 'bad_version'}), (err: Stripe.errors.StripeError) => {
        assert.ok(err instanceof Stripe.errors.StripeInvalidRequestError, version)
        assert.equal(err.statusCode, 400, version)
        assert.equal(err.message, `Invalid Stripe API version: ${version}`)
        assert.equal(err.code, undefined)
        return true
      })
    }
    assert.equal((await t.stripe.identity.verificationSessions.list({client_reference_id: 'bad_version'})).data.length, 0, 'a refused request created nothing')
  })

  it('accepts the key as the basic-auth user name', async () => {
    const res = await fetch(`${t.emulator.url}/v1/identity/verification_sessions?limit=1`, {headers: {Authorization: `Basic ${Buffer.from('sk_test_basic:').toString('base64')}`}})
    assert.equal(res.status, 200)
    assert.match(res.headers.get('request-id') ?? '', /^req_/)
  })

  it('answers 404 in Stripe shape for an endpoint it does not emulate', async () => {
    const res = await fetch(`${t.emulator.url}/v1/customers`, {headers: {Authorization: 'Bearer sk_test_x'}})
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as {error: {type: string}}).error.type, 'invalid_request_error')
  })
})

describe('events', () => {
  it('lists events newest first, filters by type and wildcard, and retrieves one', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    await submit(session.id, 'document_unverified')
    const mine = (await t.stripe.events.list({type: 'identity.verification_session.*', limit: 100})).data.filter((e) => objectId(e) === session.id)
    assert.deepEqual(
      mine.map((e) => e.type),
      ['identity.verification_session.requires_input', 'identity.verification_session.processing', 'identity.verification_session.created'],
    )
    const processing = await t.stripe.events.list({type: 'identity.verification_session.processing', limit: 100})
    assert.ok(processing.data.every((e) => e.type === 'identity.verification_session.processing'))
    const one = await t.stripe.events.retrieve(mine[0].id)
    assert.equal(one.id, mine[0].id)
    assert.equal(one.api_version, Stripe.API_VERSION)
    await assert.rejects(t.stripe.events.retrieve('evt_nope'), {type: 'StripeInvalidRequestError', statusCode: 404})
  })
})

describe('injected faults', () => {
  it('answers the injected status once, as a StripeAPIError, then recovers', async () => {
    await fetch(`${t.emulator.url}/emulator/faults`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({method: 'POST', path: '/v1/identity/verification_sessions', status: 500}),
    })
    await assert.rejects(t.stripe.identity.verificationSessions.create({type: 'document'}), (err: Stripe.errors.StripeError) => {
      assert.ok(err instanceof Stripe.errors.StripeAPIError)
      assert.equal(err.statusCode, 500)
      return true
    })
    assert.equal((await t.stripe.identity.verificationSessions.create({type: 'document'})).status, 'requires_input')
  })

  it('delays an answer past the client time-out', async () => {
    t.emulator.injectFault({path: '/v1/identity/verification_sessions', method: 'GET', delayMs: 400})
    const impatient = createStripeClient({secretKey: 'sk_test_rest', emulatorUrl: t.emulator.url, timeoutMs: 100, maxNetworkRetries: 0})
    await assert.rejects(impatient.identity.verificationSessions.list(), (err: Error) => err instanceof Stripe.errors.StripeConnectionError)
  })

  it('answers 400 for a fault without status or delay', async () => {
    const res = await fetch(`${t.emulator.url}/emulator/faults`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({path: '/v1/events'})})
    assert.equal(res.status, 400)
  })
})

/** The id of the object an event is about. */
const objectId = (event: Stripe.Event) => (event.data.object as {id: string}).id

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
