/**
 * What the server accepts as an id or a reference before anything of it reaches the store or Stripe:
 * printable text of a bounded length, ids of the shape Stripe gives them.
 */

/**
 * The longest id or user reference the server takes, in characters as JavaScript counts them (UTF-16
 * code units, two for an emoji): a user reference goes to Stripe (`client_reference_id`, and
 * `metadata.user_id`, whose values Stripe limits to 500) and into the store's rows and counters.
 */
export const MAX_REFERENCE_LENGTH = 255

/** Control characters (C0, DEL, C1), line and paragraph separators, and half a surrogate pair without its other half. */
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u

/** Whether `text` is printable and of 1 to `MAX_REFERENCE_LENGTH` characters: a user reference the server keeps. */
export function isPrintableReference(text: string): boolean {
  return text.length > 0 && text.length <= MAX_REFERENCE_LENGTH && !UNPRINTABLE.test(text)
}

/** Stripe's ids: a prefix, `_`, then letters, digits and `_`; at most `MAX_REFERENCE_LENGTH` characters. */
export function stripeIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}_[A-Za-z0-9_]{1,${MAX_REFERENCE_LENGTH - prefix.length - 1}}$`)
}

/** An event's id, `evt_…`. */
export const EVENT_ID = stripeIdPattern('evt')

/** A VerificationSession's id, `vs_…`. */
export const SESSION_ID = stripeIdPattern('vs')
