/**
 * Which `Stripe-Version` a request may ask for. Stripe refuses a version that does not exist; offline,
 * the emulator cannot know Stripe's list, so it takes as existing every version that could be one:
 * a date-based name `YYYY-MM-DD` on a real calendar date, from Stripe's first version to today, with
 * a release-train suffix (`.acacia`, `.basil`, `.clover`, …) only from the first train on, and always
 * the version stripe-node pins.
 */
import Stripe from 'stripe'
import {invalidRequest} from './stripe-error.js'

/** The oldest date a Stripe API version carries. */
export const FIRST_API_VERSION = '2011-01-01'
/** The first version named with a release train (`2024-09-30.acacia`); versions before it have none. */
export const FIRST_TRAIN_VERSION = '2024-09-30'

const VERSION = /^(\d{4})-(\d{2})-(\d{2})(?:\.([a-z]+))?$/

/** Whether `version` could be one of Stripe's API versions on `today` (UTC). */
export function isPossibleApiVersion(version: string, today = new Date()): boolean {
  if (version === Stripe.API_VERSION) return true
  const match = VERSION.exec(version)
  if (!match) return false
  const [, year, month, day, train] = match
  const date = `${year}-${month}-${day}`
  const parsed = new Date(`${date}T00:00:00Z`)
  // `Date` rolls 2025-02-30 over to March: a real date reads back the same.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) return false
  if (date < FIRST_API_VERSION || date > today.toISOString().slice(0, 10)) return false
  return train === undefined || date >= FIRST_TRAIN_VERSION
}

/** Refuses a `Stripe-Version` that is not one of Stripe's, with Stripe's 400. */
export function checkApiVersion(version: string): void {
  if (!isPossibleApiVersion(version)) throw invalidRequest(`Invalid Stripe API version: ${version}`)
}
