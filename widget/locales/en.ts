import type {Messages, ShownKey} from '../messages.js'

/** English texts shown only after a click (errors, and documents to send again, included); those a returning visitor may see are built into the element (messages.ts). */
export default {
  loading: 'Starting verification…',
  canceled: 'Verification canceled.',
  retry: 'Try again',
  requires_input: 'We could not verify your document. Please try again.',
  document_expired: 'Your document has expired. Please try again with a valid one.',
  failed: 'Verification failed. Please try again.',
  session_failed: 'Verification could not start. Please try again later.',
  network: 'Cannot reach the server. Please try again.',
  stripe_unavailable: 'Verification could not load. Please try again.',
  config: 'Verification is not set up on this page.',
  insecure_context: 'Verification needs a secure (https) page.',
  camera_blocked: 'This page cannot use your camera.',
  consent_declined: 'Verification needs your consent.',
  device_unsupported: 'This device is not supported. Please try one with a camera.',
  under_supported_age: 'Verification is not available at your age.',
  phone_otp_declined: 'Your phone could not be confirmed. Please try again.',
  email_verification_declined: 'Your email could not be confirmed. Please try again.',
} satisfies Omit<Messages, ShownKey>
