import Stripe from 'stripe'

/** Where stripe-node sends its requests: real Stripe, or the local emulator. */
export interface StripeClientOptions {
  /** `sk_test_…` or `sk_live_…`. */
  secretKey: string
  /**
   * The Stripe emulator's URL (`http://localhost:12111`, where `npx identity-verify emulator` listens):
   * every request goes there instead of Stripe, for development and tests offline. Unset for real Stripe.
   */
  emulatorUrl?: string
  /** @deprecated The former name of `emulatorUrl`. */
  apiBase?: string
  /** Per-request time-out in milliseconds (stripe-node's default is 80 s). */
  timeoutMs?: number
  /** Network retries stripe-node makes itself (it reuses the idempotency key). */
  maxNetworkRetries?: number
}

/**
 * The real stripe-node client, pointed at real Stripe or at the emulator through host/port/protocol.
 * It sends its requests with `fetch`, so the same client runs on Node, Bun, Deno and Cloudflare Workers.
 */
export function createStripeClient({secretKey, emulatorUrl, apiBase, timeoutMs = 20_000, maxNetworkRetries = 1}: StripeClientOptions): Stripe {
  const config: Stripe.StripeConfig = {
    timeout: timeoutMs,
    maxNetworkRetries,
    appInfo: {name: 'identity-verify'},
    httpClient: Stripe.createFetchHttpClient(),
  }
  const emulator = emulatorUrl ?? apiBase
  if (emulator) {
    const url = new URL(emulator)
    config.host = url.hostname
    config.port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
    config.protocol = url.protocol === 'https:' ? 'https' : 'http'
  }
  return new Stripe(secretKey, config)
}
