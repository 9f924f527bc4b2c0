// A test double of Stripe.js: `window.Stripe` as the real script defines it, whose modal the test
// drives. Importing this module installs it, before any element asks for Stripe.js.

type Result = {verificationSession?: {id: string; status: string}; error?: {type: string; code?: string; message?: string}}

/** What the page did with Stripe.js, and how its modal answers next. */
export const stripeDouble = {
  /** The publishable key of each `Stripe(key)` call. */
  instances: [] as string[],
  /** The client secret of each `verifyIdentity` call. */
  secrets: [] as string[],
  /** How the modal answers the next `verifyIdentity`: a result, or a promise the test settles later. */
  respond: (_secret: string): Result | Promise<Result> => submitted,
}

/** What `verifyIdentity` resolves with when the user submits. */
export const submitted: Result = {verificationSession: {id: 'vs_from_stripe', status: 'processing'}}

/** What `verifyIdentity` resolves with for a Stripe error code. */
export const stripeError = (code: string): Result => ({
  error: {type: 'invalid_request_error', code, message: `Stripe says ${code}`},
})

/** Defines `window.Stripe`. */
export function installStripeDouble(): void {
  const Stripe = (key: string) => {
    stripeDouble.instances.push(key)
    return {
      verifyIdentity: async (secret: string) => {
        stripeDouble.secrets.push(secret)
        return stripeDouble.respond(secret)
      },
    }
  }
  // The release train @stripe/stripe-js expects, so that it does not warn about a mismatch.
  Stripe.version = 'endive'
  Object.assign(window, {Stripe})
}
