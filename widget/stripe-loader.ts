// A module of its own, which the element imports on the first sign of intent, together with Stripe.js:
// the page's first load does not carry it.
import type {Stripe, loadStripe as LoadStripe} from '@stripe/stripe-js'
// `@stripe/stripe-js/pure` (no script injected at import) by its file: the package has no `exports`
// map, so the directory import resolves neither in Node's ESM nor with TypeScript's NodeNext, whose
// ESM reading of the file's types also loses them; the package root's types say what it is.
import {loadStripe as pureLoadStripe} from '@stripe/stripe-js/dist/pure.mjs'

const loadStripe: typeof LoadStripe = pureLoadStripe

// One load per page and key (and, for the emulator, its Stripe.js), shared by every element: Stripe.js
// is a large script and must not be fetched twice, and `loadStripe` creates a new Stripe instance on
// every call.
const loads = new Map<string, Promise<Stripe>>()

// The emulator's Stripe.js for each test key whose server said so, for the rest of the page's life: a
// later prefetch or click with that key goes to it rather than to js.stripe.com.
const emulated = new Map<string, string>()

/**
 * Stripe.js for a publishable key, loaded once per page; a failed load is forgotten so the next call
 * retries. `stripeJs` is what the server answered as `stripe_js`: on the local emulator, its Stripe.js
 * double, which alone opens the emulator's client secrets. It is heeded only with a `pk_test_…` key: a
 * live key always gets Stripe's own Stripe.js, from js.stripe.com, whatever a server answers.
 */
export function loadStripeOnce(publishableKey: string, stripeJs?: unknown): Promise<Stripe> {
  const test = publishableKey.startsWith('pk_test_')
  if (test && typeof stripeJs === 'string' && /^https?:\/\/[^/]/.test(stripeJs)) emulated.set(publishableKey, stripeJs)
  const double = test ? emulated.get(publishableKey) : undefined
  const id = double ? `${publishableKey} ${double}` : publishableKey
  let load = loads.get(id)
  if (!load) {
    load = double ? loadDouble(publishableKey, double) : loadStripe(publishableKey).then((stripe) => stripe ?? Promise.reject(new Error('Stripe.js unavailable')))
    load.catch(() => loads.delete(id))
    loads.set(id, load)
  }
  return load
}

/**
 * The emulator's Stripe.js double at `src`, for `publishableKey`. The instance is made as soon as the
 * script has run, from the `window.Stripe` it has just defined: Stripe's own Stripe.js, prefetched
 * from js.stripe.com before the server answered, may define `window.Stripe` too, before or after.
 */
function loadDouble(publishableKey: string, src: string): Promise<Stripe> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = () => {
      try {
        resolve((window as unknown as {Stripe: (key: string) => Stripe}).Stripe(publishableKey))
      } catch (error) {
        reject(error)
      }
    }
    script.onerror = () => reject(new Error(`The emulator's Stripe.js did not load from ${src}`))
    document.head.append(script)
  })
}
