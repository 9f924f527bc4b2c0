import type {ElementErrorCode, StripeErrorCode} from './events.js'

/** Every built-in text, keyed by what it describes; error texts are keyed by their error code. */
export type Messages = Record<
  | 'label'
  | 'loading'
  | 'submitted'
  | 'verified'
  | 'canceled'
  | 'requires_input'
  | 'document_expired'
  | 'failed'
  | ElementErrorCode
  | StripeErrorCode,
  string
>

/** English, built in; the other languages are separate modules, which languages.ts loads when a page asks for one. */
export const en: Messages = {
  label: 'Verify your identity',
  loading: 'Starting verification…',
  submitted: 'Thanks! Your documents were sent.',
  verified: 'Your identity is verified.',
  canceled: 'Verification canceled.',
  requires_input: 'We could not verify your document. Please try again.',
  document_expired: 'Your document has expired. Please try again with a valid one.',
  failed: 'Verification failed. Please try again.',
  session_failed: 'Verification could not start. Please try again later.',
  network: 'Cannot reach the server. Please try again.',
  stripe_unavailable: 'Verification could not load. Please try again.',
  config: 'Verification is not set up on this page.',
  consent_declined: 'Verification needs your consent.',
  device_unsupported: 'This device is not supported. Please try one with a camera.',
  under_supported_age: 'Verification is not available at your age.',
  phone_otp_declined: 'Your phone could not be confirmed. Please try again.',
  email_verification_declined: 'Your email could not be confirmed. Please try again.',
}
