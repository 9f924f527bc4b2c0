import type Stripe from 'stripe'
import {stripeId} from './ids.js'
import {redactReport} from './redaction.js'
import {resourceMissing} from './stripe-error.js'

type VerificationReport = Stripe.Identity.VerificationReport
type VerificationSession = Stripe.Identity.VerificationSession

/** How the checks of a submission ended: all verified, or failed with Stripe's error code. */
export type CheckResult = {verified: true} | {verified: false; code: string; reason: string}

/** The fields Stripe leaves out of a report unless `expand[]` names them. */
export const REPORT_EXPANDABLE = ['document.dob', 'document.expiration_date', 'document.number', 'id_number.dob', 'id_number.id_number'] as const

// What Stripe's test mode reads from the test document and ID number (the session's verified outputs too).
export const TEST_PERSON = {first_name: 'Jenny', last_name: 'Rosen', dob: {day: 1, month: 1, year: 1901}}
export const TEST_ADDRESS = {line1: '1234 Main St.', line2: null, city: 'San Francisco', state: 'CA', postal_code: '94111', country: 'US'}
export const TEST_ID_NUMBER = '000000000'

function documentCheck(result: CheckResult, options: Stripe.Identity.VerificationSession.Options.Document): Stripe.Identity.VerificationReport.Document {
  const files = [stripeId('file'), stripeId('file')]
  if (!result.verified) {
    return {
      status: 'unverified',
      error: {code: result.code as Stripe.Identity.VerificationReport.Document.Error.Code, reason: result.reason},
      address: null,
      dob: null,
      expiration_date: null,
      files,
      first_name: null,
      issued_date: null,
      issuing_country: null,
      last_name: null,
      number: null,
      type: null,
    }
  }
  return {
    status: 'verified',
    error: null,
    address: TEST_ADDRESS,
    dob: TEST_PERSON.dob,
    expiration_date: {day: 1, month: 12, year: 2040},
    files,
    first_name: TEST_PERSON.first_name,
    issued_date: {day: 1, month: 12, year: 2020},
    issuing_country: 'US',
    last_name: TEST_PERSON.last_name,
    number: '0000000000',
    type: options.allowed_types?.[0] ?? 'driving_license',
  }
}

function idNumberCheck(result: CheckResult): Stripe.Identity.VerificationReport.IdNumber {
  if (!result.verified) {
    return {
      status: 'unverified',
      error: {code: result.code as Stripe.Identity.VerificationReport.IdNumber.Error.Code, reason: result.reason},
      dob: null,
      first_name: null,
      id_number: null,
      id_number_type: null,
      last_name: null,
    }
  }
  return {
    status: 'verified',
    error: null,
    dob: TEST_PERSON.dob,
    first_name: TEST_PERSON.first_name,
    id_number: TEST_ID_NUMBER,
    id_number_type: 'us_ssn',
    last_name: TEST_PERSON.last_name,
  }
}

function selfieCheck(result: CheckResult, documentFile: string | null): Stripe.Identity.VerificationReport.Selfie {
  if (!result.verified) {
    return {
      status: 'unverified',
      error: {code: 'selfie_document_missing_photo', reason: 'The document could not be verified, so the selfie was not compared with it.'},
      document: null,
      selfie: null,
    }
  }
  return {status: 'verified', error: null, document: documentFile, selfie: stripeId('file')}
}

/**
 * The report of one submission, with the checks the session's type and options ask for: a document
 * session gets `document` (plus `selfie` and `id_number` when its options require them), an
 * `id_number` session gets `id_number`.
 */
export function buildReport(session: VerificationSession, result: CheckResult): VerificationReport {
  const report: VerificationReport = {
    id: stripeId('vr'),
    object: 'identity.verification_report',
    client_reference_id: session.client_reference_id,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    options: {},
    type: session.type === 'id_number' ? 'id_number' : 'document',
    verification_session: session.id,
  }
  if (report.type === 'id_number') {
    report.options = {id_number: {}}
    report.id_number = idNumberCheck(result)
    return report
  }
  const options = session.options?.document ?? {}
  report.options = {document: structuredClone(options)}
  report.document = documentCheck(result, options)
  if (options.require_matching_selfie) report.selfie = selfieCheck(result, report.document.files?.[0] ?? null)
  if (options.require_id_number) report.id_number = idNumberCheck(result)
  return report
}

/** The report as the API answers it: the sensitive fields only when `expand[]` names them. */
export function reportView(report: VerificationReport, expand: readonly string[] = []): VerificationReport {
  const view = structuredClone(report)
  for (const path of REPORT_EXPANDABLE) {
    if (expand.includes(path)) continue
    const [check, field] = path.split('.') as ['document' | 'id_number', string]
    if (view[check]) delete (view[check] as unknown as Record<string, unknown>)[field]
  }
  return view
}

/** The VerificationReports, one per completed submission, newest last. */
export class ReportStore {
  readonly #reports = new Map<string, VerificationReport>()
  readonly #order: string[] = []

  /** Records the report of a submission and answers its id. */
  add(report: VerificationReport): string {
    this.#reports.set(report.id, report)
    this.#order.push(report.id)
    return report.id
  }

  /** One report, or Stripe's 404. */
  get(id: string): VerificationReport {
    const report = this.#reports.get(id)
    if (!report) throw resourceMissing('verification report', id)
    return report
  }

  /** Reports newest first, filtered as `GET /v1/identity/verification_reports` filters them. */
  list(filter: {client_reference_id?: string; type?: string; verification_session?: string} = {}): VerificationReport[] {
    const out: VerificationReport[] = []
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const report = this.#reports.get(this.#order[i])!
      if (filter.client_reference_id !== undefined && report.client_reference_id !== filter.client_reference_id) continue
      if (filter.type !== undefined && report.type !== filter.type) continue
      if (filter.verification_session !== undefined && report.verification_session !== filter.verification_session) continue
      out.push(report)
    }
    return out
  }

  /** Erases the personal data of every report of a session. */
  redactSession(sessionId: string): void {
    for (const [id, report] of this.#reports) if (report.verification_session === sessionId) this.#reports.set(id, redactReport(report))
  }
}
