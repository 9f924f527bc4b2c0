import type {ElementErrorCode, StripeErrorCode} from './events.js'

/** The texts the element shows as a flow goes, which English has built in. */
export type ShownKey = 'label' | 'loading' | 'submitted' | 'verified' | 'canceled' | 'requires_input' | 'document_expired'

/** Every built-in text, keyed by what it describes; error texts are keyed by their error code. */
export type Messages = Record<ShownKey | 'failed' | ElementErrorCode | StripeErrorCode, string>

/** The texts of a language as far as they are loaded: every one, or English's built-in ones. */
export type LoadedMessages = Pick<Messages, ShownKey> & Partial<Messages>

/**
 * English texts of what the element shows as a flow goes, built in, so that no page waits for them;
 * its error texts are a module of their own, locales/en.ts, loaded when an error is due. The other
 * languages are separate modules, which languages.ts loads when a page asks for one.
 */
export const en: Pick<Messages, ShownKey> = {
  label: 'Verify your identity',
  loading: 'Starting verification…',
  submitted: 'Thanks! Your documents were sent.',
  verified: 'Your identity is verified.',
  canceled: 'Verification canceled.',
  requires_input: 'We could not verify your document. Please try again.',
  document_expired: 'Your document has expired. Please try again with a valid one.',
}
