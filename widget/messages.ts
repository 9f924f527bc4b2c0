import type {ElementErrorCode, StripeErrorCode} from './events.js'

/** The texts the element may show before any click (to a returning visitor), which English has built in. */
export type ShownKey = 'label' | 'submitted' | 'verified'

/** The texts shown only after a click, while loading or once the user closed Stripe's window. */
export type ClickKey = 'loading' | 'canceled'

/**
 * The texts of a failed attempt: the button's "Try again", and why the server found the documents
 * wanting (`requires_input`, or `document_expired`).
 */
export type RetryKey = 'retry' | 'requires_input' | 'document_expired'

/** Every built-in text, keyed by what it describes; error texts are keyed by their error code. */
export type Messages = Record<ShownKey | ClickKey | RetryKey | 'failed' | ElementErrorCode | StripeErrorCode, string>

/** The texts of a language as far as they are loaded: every one, or English's built-in ones. */
export type LoadedMessages = Pick<Messages, ShownKey> & Partial<Messages>

/**
 * English texts of what the element may show before any click, built in, so that no page waits for
 * them; its other texts (after a click, of a failed attempt) are a module of their own, locales/en.ts,
 * loaded on the first sign of intent or when one is due. The other
 * languages are separate modules, which languages.ts loads when a page asks for one.
 */
export const en: Pick<Messages, ShownKey> = {
  label: 'Verify your identity',
  submitted: 'Thanks! Your documents were sent.',
  verified: 'Your identity is verified.',
}
