import Stripe from 'stripe'
import {STRIPE_JS_DOUBLE_PATH} from '../../protocol/wire.js'

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

// Where each client made here talks to, by client: the emulator's origin, or null for real Stripe
// (stripe-node keeps its host to itself).
const emulatorBases = new WeakMap<Stripe, string | null>()

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
  const stripe = new Stripe(secretKey, config)
  emulatorBases.set(stripe, emulator ? new URL(emulator).origin : null)
  return stripe
}

/**
 * The emulator's Stripe.js double for a client `createStripeClient` pointed at the emulator
 * (`http://127.0.0.1:12111/stripe.js`); null for one it pointed at real Stripe, undefined for a
 * client made otherwise, whose host it cannot tell.
 */
export function emulatorStripeJsOf(stripe: Stripe): string | null | undefined {
  const base = emulatorBases.get(stripe)
  return base ? base + STRIPE_JS_DOUBLE_PATH : base
}
