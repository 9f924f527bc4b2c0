/**
 * What redaction erases, written once for the session, its reports and its events. As Stripe
 * describes it: every field that holds personal data is replaced by `[redacted]` (or null where a
 * string cannot stand: addresses and dates), and metadata is erased. `client_reference_id` stays: it
 * is the integrator's own reference.
 */
import type Stripe from 'stripe'

type VerificationSession = Stripe.Identity.VerificationSession
type VerificationReport = Stripe.Identity.VerificationReport

export const REDACTED = '[redacted]'

/** `[redacted]` for a value that was there, null for one that was not. */
const erased = (value: string | null | undefined) => (value == null ? null : REDACTED)

/** A copy of a session (or an event's snapshot of it) without personal data. */
export function redactSession(session: VerificationSession): VerificationSession {
  const out = structuredClone(session)
  out.metadata = {}
  if (out.verified_outputs) {
    const v = out.verified_outputs
    Object.assign(v, {first_name: erased(v.first_name), last_name: erased(v.last_name), address: null, email: erased(v.email), phone: erased(v.phone)})
    if ('dob' in v) v.dob = null
    for (const key of ['id_number', 'unparsed_place_of_birth', 'unparsed_sex'] as const) if (key in v) v[key] = erased(v[key])
    if ('sex' in v) v.sex = v.sex == null ? null : REDACTED
  }
  if (out.provided_details) {
    const {email, phone} = out.provided_details
    out.provided_details = {...(email !== undefined && {email: REDACTED}), ...(phone !== undefined && {phone: REDACTED})}
  }
  return out
}

/** A copy of a report without personal data; check statuses and error codes stay. */
export function redactReport(report: VerificationReport): VerificationReport {
  const out = structuredClone(report)
  if (out.document) {
    const d = out.document
    Object.assign(d, {address: null, first_name: erased(d.first_name), last_name: erased(d.last_name), issued_date: null})
    if ('dob' in d) d.dob = null
    if ('expiration_date' in d) d.expiration_date = null
    if ('number' in d) d.number = erased(d.number)
  }
  if (out.id_number) {
    const n = out.id_number
    Object.assign(n, {first_name: erased(n.first_name), last_name: erased(n.last_name)})
    if ('dob' in n) n.dob = null
    if ('id_number' in n) n.id_number = erased(n.id_number)
  }
  if (out.email) out.email.email = erased(out.email.email)
  if (out.phone) out.phone.phone = erased(out.phone.phone)
  return out
}
