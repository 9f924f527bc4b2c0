import {StripeApiError} from './stripe-error.js'

/** A saved answer, replayed byte for byte. */
interface SavedResponse {
  status: number
  body: string
  contentType: string
  /** The `Request-Id` of the request that produced it, sent back as `Original-Request`. */
  requestId: string
}

type Entry = {fingerprint: string; response?: SavedResponse}

/**
 * Stripe's idempotency keys for POST requests. The first request with a key runs; its answer is
 * saved and replayed for the same key and the same parameters. As Stripe does:
 * - same key, different endpoint or parameters → 400 `idempotency_error` (stripe-node's `StripeIdempotencyError`);
 * - same key while the first request still runs → 409 `idempotency_key_in_use` (stripe-node retries a 409
 *   on its own, and its retry then gets the replay);
 * - answers that failed validation (4xx) are not saved, so the same key can be retried with fixed parameters.
 */
export class IdempotencyKeys {
  readonly #entries = new Map<string, Entry>()

  /** Claims a key for a request; answers a saved response to replay, or null when the request should run. */
  begin(key: string, fingerprint: string): SavedResponse | null {
    const entry = this.#entries.get(key)
    if (!entry) {
      this.#entries.set(key, {fingerprint})
      return null
    }
    if (entry.fingerprint !== fingerprint) {
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      })
    }
    if (!entry.response) {
      throw new StripeApiError(409, {
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        doc_url: 'https://stripe.com/docs/error-codes/idempotency-key-in-use',
        message: `There is currently another in-progress request using this idempotent key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      })
    }
    return entry.response
  }

  /** Saves the answer to a claimed key, or releases the key when the answer is not kept. */
  finish(key: string, response: SavedResponse): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    if (response.status >= 400 && response.status < 500) this.#entries.delete(key)
    else entry.response = response
  }

  /** Releases a claimed key without saving (the request never ran). */
  release(key: string): void {
    if (!this.#entries.get(key)?.response) this.#entries.delete(key)
  }
}
