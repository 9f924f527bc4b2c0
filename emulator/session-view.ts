/**
 * How a VerificationSession is rendered, written once for the API and the events. Stripe leaves some
 * fields out of a session unless `expand[]` names them (the fields stripe-node types as optional, and
 * that Stripe's own example objects leave out): `provided_details`, `verified_outputs`, and within
 * `verified_outputs` the most sensitive ones (`dob`, `id_number`, …). Events carry the session as a
 * plain retrieve renders it, never expanded, and without its client secret or URL.
 */
import type Stripe from 'stripe'
import {REPORT_EXPANDABLE, reportView, type ReportStore} from './reports.js'

type VerificationSession = Stripe.Identity.VerificationSession

/** The session's fields Stripe includes only when expanded. */
const INCLUDABLE = ['provided_details', 'verified_outputs'] as const
/** The fields of `verified_outputs` Stripe includes only when `verified_outputs.<field>` is expanded. */
const VERIFIED_OUTPUTS_INCLUDABLE = ['dob', 'id_number', 'sex', 'unparsed_place_of_birth', 'unparsed_sex'] as const

/** What `expand[]` may name on a VerificationSession (`data.…` of it on a list). */
export const SESSION_EXPANDABLE: readonly string[] = [
  'last_verification_report',
  ...REPORT_EXPANDABLE.map((path) => `last_verification_report.${path}`),
  ...INCLUDABLE,
  ...VERIFIED_OUTPUTS_INCLUDABLE.map((field) => `verified_outputs.${field}`),
]

/** Whether `expand` names `path` or a path inside it (`verified_outputs.dob` expands `verified_outputs`). */
const expands = (expand: readonly string[], path: string) => expand.some((item) => item === path || item.startsWith(`${path}.`))

/** The fields under `prefix.` that `expand` names. */
const inside = (expand: readonly string[], prefix: string) => expand.filter((item) => item.startsWith(`${prefix}.`)).map((item) => item.slice(prefix.length + 1))

/** The session without the fields `expand` does not name; the session given is left as it is. */
function withoutUnexpanded(session: VerificationSession, expand: readonly string[]): VerificationSession {
  const view = structuredClone(session)
  for (const field of INCLUDABLE) if (!expands(expand, field)) delete view[field]
  const outputs = view.verified_outputs
  if (outputs) for (const field of VERIFIED_OUTPUTS_INCLUDABLE) if (!expand.includes(`verified_outputs.${field}`)) delete outputs[field]
  return view
}

/** A session as the API answers it, `last_verification_report` expanded to its report when asked. */
export function sessionView(session: VerificationSession, expand: readonly string[], reports: ReportStore): VerificationSession {
  const view = withoutUnexpanded(session, expand)
  const report = session.last_verification_report
  if (typeof report === 'string' && expands(expand, 'last_verification_report')) {
    view.last_verification_report = reportView(reports.get(report), inside(expand, 'last_verification_report'))
  }
  return view
}

/**
 * A session as an event carries it: as a plain retrieve renders it, but without the client secret and
 * URL, which are the user's alone (Stripe: "don't store it, log it … or expose it to anyone other than
 * the user"), while an event is stored, listed by `GET /v1/events` and sent again.
 */
export function eventView(session: VerificationSession): VerificationSession {
  return {...withoutUnexpanded(session, []), client_secret: null, url: null}
}
