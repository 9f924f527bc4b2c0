import type {Context} from 'hono'
import type Stripe from 'stripe'
import {socketAddress} from '../http/client-address.js'
import {serverOrigins, type ServerOrigins} from '../http/origins.js'
import {silentLogger, type Logger} from '../log/logger.js'
import type {RateLimit} from './rate-limit.js'
import {answeringUnavailable, type AnsweringStore} from './store-unavailable.js'
import type {VerificationStore} from '../store/store.js'
import type {VerificationRecord} from '../rules/records.js'
import type {VerificationSessionOptions} from '../stripe/verification-sessions.js'
import {emulatorStripeJsOf} from '../stripe/client.js'

export type {VerificationSessionOptions} from '../stripe/verification-sessions.js'

/**
 * Code the site runs when a session's status is recorded. Delivery is at least once: a hook that
 * throws makes the webhook answer 500 and runs again on Stripe's redelivery, and a hook may also run
 * again after a crash, so hooks must be idempotent (key them on `session.id` or `event.id`).
 */
export interface VerificationHooks {
  /** The session is verified (runs for its `…verified` event). */
  onVerified?(session: VerificationRecord, event: Stripe.Event): void | Promise<void>
  /** The session needs the user again, `session.lastErrorCode` says why (runs for a current `…requires_input` event). */
  onRequiresInput?(session: VerificationRecord, event: Stripe.Event): void | Promise<void>
  /** Every recorded VerificationSession event, after it was applied; `session` is null if it names no user. */
  onEvent?(event: Stripe.Event, session: VerificationRecord | null): void | Promise<void>
}

/**
 * Limits that keep the create endpoint, a wallet, from being drained, without letting anyone use
 * them to keep other people from verifying.
 */
export interface VerificationLimits {
  /** Largest request body of the create endpoint, in bytes (default 4 KiB). */
  maxBodyBytes?: number
  /** Largest webhook body, in bytes (default 256 KiB). */
  maxWebhookBytes?: number
  /** Create requests per user, whatever they answer: reuses of an open session and 409s included (default 10 per 10 minutes). */
  perUser?: RateLimit
  /**
   * Create requests per user made ahead of a click (the element's prefetch on intent, marked
   * `Identity-Verify-Intent: prefetch`), counted apart from `perUser` so that a visitor who rests on
   * the button on many pages keeps their clicks (default 30 per 10 minutes). Any client can mark a
   * request so: a user makes at most `perUser` and `perUserPrefetch` together per window.
   */
  perUserPrefetch?: RateLimit
  /**
   * Sessions Stripe created per client address, whoever signs in (default 30 per 10 minutes). An
   * IPv4 address counts alone, an IPv6 address with the rest of its /64 (see `addressGroup`); a
   * create that fails at Stripe gives its count back.
   */
  perIp?: RateLimit
  /**
   * Sessions submitted per UTC day, all users together: what Stripe bills (default 1000). Once
   * today's count reaches it, new sessions answer 429 until the next UTC day; a user's open session
   * is still handed back. Sessions created but never submitted do not count.
   */
  dailySubmissions?: number
  /**
   * @deprecated The former name of `dailySubmissions`, read when that is not given. It counts
   * submitted sessions now, no longer created ones.
   */
  dailyCreates?: number
}

/** What `createApp` needs. */
export interface VerificationAppDeps {
  /** A stripe-node client (see `createStripeClient`). */
  stripe: Stripe
  /** The webhook signing secret (`whsec_…`), or several while rotating it: each is tried in turn. */
  webhookSecret: string | readonly string[]
  /** Where sessions and seen event ids are kept (see `openSqliteStore`). */
  store: VerificationStore
  /**
   * The server's own origin, where browsers reach it (`https://verify.example.com`): its pages may
   * call it, and the hosted flow returns to them. Never read from a request, whose `Host` and
   * `X-Forwarded-*` headers any client can write. A URL with a path, query or fragment is refused.
   */
  publicUrl: string
  /** The signed-in user's reference for this request, or null when nobody is signed in. */
  authenticate(c: Context): string | null | Promise<string | null>
  /**
   * With a Stripe client pointed at the local emulator: the URL where browsers load the emulator's
   * Stripe.js double (`http://localhost:12111/stripe.js`), which alone opens the emulator's client
   * secrets. The create answers it as `stripe_js`, and the element loads it instead of Stripe's own
   * when its publishable key is a `pk_test_…` one. Defaults to `/stripe.js` on the emulator a
   * `createStripeClient({emulatorUrl})` client talks to (set it when browsers reach the emulator at
   * another address); `null` turns it off. Refused with a `createStripeClient` client for real
   * Stripe, whose server never answers it.
   */
  stripeJsUrl?: string | null
  /** Options of every session created, e.g. `{options: {document: {require_matching_selfie: true}}}`. */
  sessionOptions?: VerificationSessionOptions
  /** Origins besides `publicUrl`'s allowed to call it from a browser, with credentials (`https://app.example.com`). */
  allowedOrigins?: readonly string[]
  /** Body size and rate limits. */
  limits?: VerificationLimits
  /** Code run when statuses are recorded (at least once). */
  hooks?: VerificationHooks
  /** Where the server logs (JSON lines, secrets masked); silent by default. */
  logger?: Logger
  /** The clock, ms since the epoch; tests move it. */
  now?: () => number
  /**
   * The caller's IP address for the per-IP limit; by default the socket's peer on Node, Bun and Deno
   * (pass one reading `X-Forwarded-For` behind a proxy you trust, or `CF-Connecting-IP` on Cloudflare
   * Workers). It is counted under `addressGroup(address)`.
   */
  clientAddress?(c: Context): string | null
}

/** The dependencies with every default filled in, as the routes use them. */
export interface ResolvedDeps extends Required<Omit<VerificationAppDeps, 'webhookSecret' | 'limits' | 'publicUrl' | 'allowedOrigins' | 'store' | 'stripeJsUrl'>> {
  store: AnsweringStore
  /** The emulator's Stripe.js double, answered with each client secret; null on real Stripe. */
  stripeJsUrl: string | null
  webhookSecrets: readonly string[]
  /** `publicUrl`'s origin and the allowed ones. */
  origins: ServerOrigins
  limits: Required<Omit<VerificationLimits, 'dailyCreates'>>
}

const MINUTE = 60_000

/** Fills in every default; refuses to go on without a webhook signing secret or the server's own origin. */
export function resolveDeps(deps: VerificationAppDeps): ResolvedDeps {
  const webhookSecrets = typeof deps.webhookSecret === 'string' ? [deps.webhookSecret] : [...deps.webhookSecret]
  if (webhookSecrets.length === 0 || webhookSecrets.some((secret) => !secret)) {
    throw new Error('createApp needs a webhook signing secret: an unsigned webhook is never trusted')
  }
  const origins = serverOrigins('createApp', deps.publicUrl, deps.allowedOrigins)
  const stripeJsUrl = emulatorStripeJs(deps)
  const limits = deps.limits ?? {}
  const logger = deps.logger ?? silentLogger
  return {
    stripe: deps.stripe,
    stripeJsUrl,
    webhookSecrets,
    origins,
    // One watch for every route, so that a failing database is told once.
    store: answeringUnavailable(deps.store, logger),
    authenticate: deps.authenticate,
    sessionOptions: deps.sessionOptions ?? {},
    hooks: deps.hooks ?? {},
    logger,
    now: deps.now ?? Date.now,
    clientAddress: deps.clientAddress ?? socketAddress,
    limits: {
      maxBodyBytes: limits.maxBodyBytes ?? 4096,
      maxWebhookBytes: limits.maxWebhookBytes ?? 256 * 1024,
      perUser: limits.perUser ?? {max: 10, windowMs: 10 * MINUTE},
      perUserPrefetch: limits.perUserPrefetch ?? {max: 30, windowMs: 10 * MINUTE},
      perIp: limits.perIp ?? {max: 30, windowMs: 10 * MINUTE},
      dailySubmissions: limits.dailySubmissions ?? limits.dailyCreates ?? 1000,
    },
  }
}

/** `stripeJsUrl`, checked, or its default from the Stripe client. */
function emulatorStripeJs({stripe, stripeJsUrl}: VerificationAppDeps): string | null {
  const fromClient = emulatorStripeJsOf(stripe)
  if (stripeJsUrl === undefined) return fromClient ?? null
  if (stripeJsUrl === null) return null
  if (fromClient === null) throw new Error('createApp takes stripeJsUrl only with a Stripe client pointed at the emulator, not at real Stripe')
  if (!/^https?:\/\/[^/]/.test(stripeJsUrl) || !URL.canParse(stripeJsUrl)) {
    throw new Error(`createApp's stripeJsUrl must be an absolute http or https URL, such as http://localhost:12111/stripe.js, got "${stripeJsUrl}"`)
  }
  return stripeJsUrl
}
