import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import Stripe from 'stripe'
import {emulatorForTests} from './emulator-fixture.js'

// Webhooks go to a closed port: these tests look at the API only.
const t = emulatorForTests()

const submit = (id: string, outcome: string) => fetch(`${t.emulator.url}/emulator/verification_sessions/${id}/submit`, {method: 'POST', body: new URLSearchParams({outcome})})

/** A session of these parameters, submitted with a test case; answers the session as retrieved afterwards. */
async function played(outcome: string, params: Stripe.Identity.VerificationSessionCreateParams = {type: 'document'}) {
  const session = await t.stripe.identity.verificationSessions.create(params)
  assert.equal((await submit(session.id, outcome)).status, 200)
  return t.stripe.identity.verificationSessions.retrieve(session.id)
}

describe('VerificationReports', () => {
  it("names a verified session's report in last_verification_report, whose document check is verified", async () => {
    const session = await played('verified', {type: 'document', client_reference_id: 'report_user'})
    assert.match(session.last_verification_report as string, /^vr_[A-Za-z0-9]{24}$/)
    const report = await t.stripe.identity.verificationReports.retrieve(session.last_verification_report as string)
    assert.equal(report.object, 'identity.verification_report')
    assert.equal(report.type, 'document')
    assert.equal(report.verification_session, session.id)
    assert.equal(report.client_reference_id, 'report_user')
    assert.equal(report.livemode, false)
    assert.equal(report.document?.status, 'verified')
    assert.equal(report.document?.error, null)
    assert.equal(report.document?.first_name, 'Jenny')
    assert.equal(report.document?.last_name, 'Rosen')
    assert.equal(report.document?.issuing_country, 'US')
    assert.ok(report.document?.files?.every((f) => f.startsWith('file_')))
    assert.ok(!('dob' in report.document!) && !('number' in report.document!) && !('expiration_date' in report.document!), 'sensitive fields only when expanded')
  })

  for (const [outcome, code] of [
    ['document_unverified', 'document_unverified_other'],
    ['document_expired', 'document_expired'],
  ] as const) {
    it(`carries the error of a failed check (${outcome})`, async () => {
      const session = await played(outcome)
      assert.equal(session.status, 'requires_input')
      assert.equal(session.last_error?.code, code)
      const report = await t.stripe.identity.verificationReports.retrieve(session.last_verification_report as string)
      assert.equal(report.document?.status, 'unverified')
      assert.equal(report.document?.error?.code, code)
      assert.equal(report.document?.error?.reason, session.last_error?.reason)
      assert.equal(report.document?.first_name, null)
    })
  }

  it('leaves no report for a test case that ends in the window, and a new report for each submission', async () => {
    const session = await played('consent_declined')
    assert.equal(session.last_verification_report, null)
    const failed = await played('document_expired')
    assert.equal((await submit(failed.id, 'verified')).status, 200)
    const retried = await t.stripe.identity.verificationSessions.retrieve(failed.id)
    assert.notEqual(retried.last_verification_report, failed.last_verification_report)
    const reports = await t.stripe.identity.verificationReports.list({verification_session: failed.id})
    assert.deepEqual(
      reports.data.map((r) => r.document?.status),
      ['verified', 'unverified'],
    )
  })

  it('adds the selfie and ID number checks the options require, and an id_number session gets the ID number check alone', async () => {
    const both = await played('verified', {type: 'document', options: {document: {require_matching_selfie: true, require_id_number: true, allowed_types: ['passport']}}})
    const report = await t.stripe.identity.verificationReports.retrieve(both.last_verification_report as string)
    assert.equal(report.document?.type, 'passport')
    assert.equal(report.selfie?.status, 'verified')
    assert.equal(report.id_number?.status, 'verified')
    assert.deepEqual(report.options, {document: {require_matching_selfie: true, require_id_number: true, allowed_types: ['passport']}})

    const idNumber = await played('document_unverified', {type: 'id_number'})
    assert.equal(idNumber.last_error?.code, 'id_number_unverified_other')
    const idReport = await t.stripe.identity.verificationReports.retrieve(idNumber.last_verification_report as string)
    assert.equal(idReport.type, 'id_number')
    assert.equal(idReport.document, undefined)
    assert.equal(idReport.id_number?.status, 'unverified')
    assert.equal(idReport.id_number?.error?.code, 'id_number_unverified_other')
  })

  it('expands the report from the session, and its sensitive fields when asked', async () => {
    const session = await played('verified')
    const expanded = await t.stripe.identity.verificationSessions.retrieve(session.id, {expand: ['last_verification_report']})
    const report = expanded.last_verification_report as Stripe.Identity.VerificationReport
    assert.equal(report.id, session.last_verification_report)
    assert.equal(report.document?.status, 'verified')
    const listed = await t.stripe.identity.verificationSessions.list({limit: 1, expand: ['data.last_verification_report']})
    assert.equal((listed.data[0].last_verification_report as Stripe.Identity.VerificationReport).object, 'identity.verification_report')
    const sensitive = await t.stripe.identity.verificationReports.retrieve(report.id, {expand: ['document.dob', 'document.number', 'document.expiration_date']})
    assert.deepEqual(sensitive.document?.dob, {day: 1, month: 1, year: 1901})
    assert.equal(typeof sensitive.document?.number, 'string')
    await assert.rejects(t.stripe.identity.verificationReports.retrieve(report.id, {expand: ['document.files']}), {
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      param: 'expand',
    })
  })

  it('lists reports newest first, filtered by session, type, client reference and created', async () => {
    const reference = `reports_${Date.now()}`
    const first = await played('verified', {type: 'document', client_reference_id: reference})
    const second = await played('document_expired', {type: 'id_number', client_reference_id: reference})
    const mine = await t.stripe.identity.verificationReports.list({client_reference_id: reference})
    assert.deepEqual(
      mine.data.map((r) => r.verification_session),
      [second.id, first.id],
    )
    assert.equal(mine.url, '/v1/identity/verification_reports')
    assert.deepEqual(
      (await t.stripe.identity.verificationReports.list({client_reference_id: reference, type: 'id_number'})).data.map((r) => r.verification_session),
      [second.id],
    )
    const created = mine.data[0].created
    assert.equal((await t.stripe.identity.verificationReports.list({client_reference_id: reference, created: {gt: created}})).data.length, 0)
    assert.equal((await t.stripe.identity.verificationReports.list({client_reference_id: reference, created: {lte: created}})).data.length, 2)
    await assert.rejects(t.stripe.identity.verificationReports.list({type: 'selfie'}), {type: 'StripeInvalidRequestError', statusCode: 400, param: 'type'})
  })

  it('answers 404 resource_missing for an unknown report', async () => {
    await assert.rejects(t.stripe.identity.verificationReports.retrieve('vr_nope'), (err: Stripe.errors.StripeError) => {
      assert.equal(err.statusCode, 404)
      assert.equal(err.code, 'resource_missing')
      assert.match(err.message, /No such verification report: 'vr_nope'/)
      return true
    })
  })
})
