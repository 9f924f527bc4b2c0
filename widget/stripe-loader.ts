// A module of its own, which the element imports on the first sign of intent, together with Stripe.js:
// the page's first load does not carry it.
import type {Stripe, loadStripe as LoadStripe} from '@stripe/stripe-js'
// `@stripe/stripe-js/pure` (no script injected at import) by its file: the package has no `exports`
// map, so the directory import resolves neither in Node's ESM nor with TypeScript's NodeNext, whose
// ESM reading of the file's types also loses them; the package root's types say what it is.
import {loadStripe as pureLoadStripe} from '@stripe/stripe-js/dist/pure.mjs'

const loadStripe: typeof LoadStripe = pureLoadStripe

// One load per page and key, shared by every element: Stripe.js is a large script and must not be
// fetched twice, and `loadStripe` creates a new Stripe instance on every call.
const loads = new Map<string, Promise<Stripe>>()

/** Stripe.js for a publishable key, loaded once per page; a failed load is forgotten so the next call retries. */
export function loadStripeOnce(publishableKey: string): Promise<Stripe> {
  let load = loads.get(publishableKey)
  if (!load) {
    load = loadStripe(publishableKey).then((stripe) => stripe ?? Promise.reject(new Error('Stripe.js unavailable')))
    load.catch(() => loads.delete(publishableKey))
    loads.set(publishableKey, load)
  }
  return load
}
