/**
 * Stripe's modal, opened and read: the part of a flow that runs once the server has answered with a
 * client secret. Part of the module the element loads on the first sign of intent (hosted-flow.ts),
 * which a click awaits before any request, so that a page's first load does not carry it. It imports
 * nothing the element's own file holds, which would then be split into a third file: the element
 * passes what it needs of its own.
 */
import type {Stripe} from '@stripe/stripe-js'

/** Stripe.js reports a modal closed without submitting with this code; it becomes a cancel, not an error. */
export const SESSION_CANCELLED = 'session_cancelled'

/** What the modal's flow does to the element. */
export interface ModalHost {
  show(state: 'open' | 'canceled' | 'submitted', message?: 'canceled' | 'submitted'): void
  /** Fires the element's `identity-verify-<type>` event for the session. */
  emit(type: 'open' | 'cancel' | 'submitted'): void
  /** Moves focus back to the button, or to the confirmation that replaces it. */
  refocus(submitted: boolean): void
  /** Follows the status of the session just submitted. */
  follow(): void
}

/**
 * Opens Stripe's modal once Stripe.js has loaded, and, once the user has closed it, shows what its
 * outcome means: a cancel, or a submission (then followed). Resolves with the code of the error to
 * report, if any: Stripe's, or `stripe_unavailable` (Stripe.js did not load, or could not open the modal).
 */
export async function openModal(host: ModalHost, stripeLoad: Promise<Stripe>, secret: string, signal: AbortSignal): Promise<string | undefined> {
  const stripe = await stripeLoad.catch(() => {})
  if (!stripe) return 'stripe_unavailable'
  signal.throwIfAborted()
  host.show('open')
  host.emit('open')
  // Stripe.js throws rather than resolves when it cannot open the modal at all.
  const {error}: {error?: {code?: string; type?: string}} = await stripe.verifyIdentity(secret).catch(() => ({error: {code: 'stripe_unavailable'}}))
  signal.throwIfAborted()
  host.refocus(!error)
  if (error?.code === SESSION_CANCELLED) {
    host.show('canceled', 'canceled')
    host.emit('cancel')
  } else if (error) {
    return error.code ?? error.type ?? 'config'
  } else {
    host.show('submitted', 'submitted')
    host.emit('submitted')
    host.follow()
  }
}
