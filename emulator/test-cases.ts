/**
 * The test cases a tester picks in the modal (or posts to the submit route), as in Stripe's test
 * mode. Written once: the modal's buttons, the submit route and the docs all read this list.
 */
export const TEST_CASES = [
  {outcome: 'verified', label: 'Verified', description: 'The document is genuine: processing, then verified.'},
  {outcome: 'processing', label: 'Processing', description: 'Checks take a few seconds: stays processing, then verified.'},
  {outcome: 'document_unverified', label: 'Document unverified', description: 'The document cannot be verified: back to requires_input.'},
  {outcome: 'document_expired', label: 'Document expired', description: 'The document has expired: back to requires_input.'},
  {outcome: 'consent_declined', label: 'Consent declined', description: 'The user declines to be verified.'},
  {outcome: 'device_unsupported', label: 'Device unsupported', description: 'The device has no usable camera.'},
  {outcome: 'under_supported_age', label: 'Under supported age', description: 'The user is under the supported age.'},
  {outcome: 'close', label: 'Close', description: 'The user closes the modal without submitting.'},
] as const

/** One of the test case names. */
export type Outcome = (typeof TEST_CASES)[number]['outcome']

/** Whether a string names a test case. */
export function isOutcome(value: unknown): value is Outcome {
  return TEST_CASES.some((c) => c.outcome === value)
}

/**
 * Test cases that end in the modal itself: Stripe.js resolves `{error}` with `modalCode`, and the
 * session records the reason in `last_error` (Stripe's own code, which for an unsupported device is
 * `device_not_supported`) while staying `requires_input`, so the server learns why through the
 * `requires_input` event.
 */
export const MODAL_ERRORS = {
  consent_declined: {modalCode: 'consent_declined', lastErrorCode: 'consent_declined', message: 'The user declined to be verified by Stripe.'},
  device_unsupported: {modalCode: 'device_unsupported', lastErrorCode: 'device_not_supported', message: "The user's device is not supported for verification."},
  under_supported_age: {modalCode: 'under_supported_age', lastErrorCode: 'under_supported_age', message: 'The user is under the supported age for verification.'},
} as const

/** Test cases whose checks fail: processing, then back to `requires_input` with Stripe's `last_error`. */
export const FAILED_CHECKS = {
  document_unverified: {code: 'document_unverified_other', reason: 'The document could not be verified.'},
  document_expired: {code: 'document_expired', reason: 'The document is expired.'},
} as const

/** Why an `id_number` session's check fails, whichever failing test case is played on it. */
export const ID_NUMBER_FAILURE = {code: 'id_number_unverified_other', reason: 'The ID number could not be verified.'} as const

/** The `last_error` a failing test case leaves on a session of this type (its report carries the same error). */
export function failedCheck(outcome: Outcome, type: string): {code: string; reason: string} {
  if (type === 'id_number') return ID_NUMBER_FAILURE
  return FAILED_CHECKS[outcome as keyof typeof FAILED_CHECKS]
}
