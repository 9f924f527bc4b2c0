/**
 * What the server accepts as an id or a reference before anything of it reaches the store or Stripe:
 * printable text of a bounded length, ids of the shape Stripe gives them.
 */

/** The longest id or user reference the server stores. */
export const MAX_REFERENCE_LENGTH = 255

/** Printable: no control character, no lone surrogate; 1 to 255 characters. */
const PRINTABLE = new RegExp(`^[^\\p{Cc}\\p{Cs}]{1,${MAX_REFERENCE_LENGTH}}$`, 'u')

/** Whether `text` is printable and at most `MAX_REFERENCE_LENGTH` characters: a user reference the server keeps. */
export function isPrintableReference(text: string): boolean {
  return PRINTABLE.test(text)
}

/** Stripe's ids: a prefix, `_`, then letters, digits and `_`; at most `MAX_REFERENCE_LENGTH` characters. */
export function stripeIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}_[A-Za-z0-9_]{1,${MAX_REFERENCE_LENGTH - prefix.length - 1}}$`)
}

/** An event's id, `evt_…`. */
export const EVENT_ID = stripeIdPattern('evt')

/** A VerificationSession's id, `vs_…`. */
export const SESSION_ID = stripeIdPattern('vs')
