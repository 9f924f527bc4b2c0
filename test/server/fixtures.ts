import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, before} from 'node:test'
import type {Context, Hono} from 'hono'
import type Stripe from 'stripe'
import {startEmulator, type RunningEmulator} from '../../emulator/index.js'
import {createApp} from '../../server/app.js'
import type {VerificationAppDeps} from '../../server/routes/deps.js'
import {createLogger} from '../../server/log/logger.js'
import {openSqliteStore} from '../../server/store/sqlite/index.js'
import {STORE_METHODS, type VerificationStore} from '../../server/store/store.js'
import {openPostgresStore} from '../../server/store/postgres/index.js'
import {startPostgres} from '../../harness/postgres.js'
import {createStripeClient} from '../../server/stripe/client.js'
import type {VerificationStatus} from '../../protocol/verification-status.js'
import type {ErrorAnswer} from '../../protocol/wire.js'

/** Every log line the server and emulator wrote during this test file. */
export const logLines: string[] = []

/** The logger every app and emulator of the suite writes to. */
export const testLogger = createLogger((line) => logLines.push(line))

/** This run's webhook signing secret. */
export const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`

/** The secret key stripe-node sends; the emulator accepts any `sk_test_…`. */
export const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`

/** A stripe-node client; with no emulator it points at a closed port (webhook tests never call Stripe). */
export function stripeClient(apiBase = 'http://127.0.0.1:9', timeoutMs = 10_000): Stripe {
  return createStripeClient({secretKey: SECRET_KEY, emulatorUrl: apiBase, timeoutMs, maxNetworkRetries: 0})
}

/** An emulator on a free port whose webhooks go nowhere: the tests deliver the events they need themselves. */
export function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({port: 0, webhookSecret: WEBHOOK_SECRET, webhookUrl: 'http://127.0.0.1:9/webhook', retryDelaysMs: [], logger: testLogger})
}

/**
 * An emulator for the suite this is called in, started before its tests and stopped after them, and
 * apps that create sessions on it with limits roomy enough that only the limits' own tests meet them.
 */
export function emulatorSuite() {
  let running: RunningEmulator | undefined
  before(async () => {
    running = await startTestEmulator()
  })
  after(() => running?.close())
  const suite = {
    get emulator(): RunningEmulator {
      if (!running) throw new Error('The suite’s emulator runs only while its tests do')
      return running
    },
    appWith: (overrides: Partial<VerificationAppDeps> = {}) =>
      testApp({stripe: stripeClient(suite.emulator.url), limits: {perUser: {max: 100, windowMs: 60_000}, perIp: {max: 1000, windowMs: 60_000}}, ...overrides}),
  }
  return suite
}

/** The sessions Stripe (the emulator at `apiBase`) holds for `user`, newest first. */
export async function sessionsAtStripe(apiBase: string, user: string): Promise<Stripe.Identity.VerificationSession[]> {
  return (await allSessionsAtStripe(apiBase)).filter((session) => session.client_reference_id === user)
}

/**
 * Every session Stripe (the emulator at `apiBase`) holds, newest first. Read with a retry, as the
 * server's own client reads: a kept-alive connection that the emulator closes at the moment it is
 * reused answers ECONNRESET, which is not what these reads check.
 */
export async function allSessionsAtStripe(apiBase: string): Promise<Stripe.Identity.VerificationSession[]> {
  const reader = createStripeClient({secretKey: SECRET_KEY, emulatorUrl: apiBase, maxNetworkRetries: 2})
  return (await reader.identity.verificationSessions.list({limit: 100})).data
}

/**
 * The store the route tests run against: a new SQLite database in memory, or, with
 * `TEST_STORE=postgres` (`npm run test:postgres`), a new database on a PostgreSQL server this test
 * file started. It is usable at once: its calls wait for it to be opened.
 */
export function testStore(): VerificationStore {
  if (!postgres) return openSqliteStore(':memory:')
  const opening = postgres.createDatabase(`route_${++databases}`).then((url) => openPostgresStore(url, {poolSize: 3}))
  opening.catch(() => {}) // reported by the first call
  return Object.fromEntries(
    STORE_METHODS.map((name) => [name, async (...args: unknown[]) => ((await opening)[name] as (...args: unknown[]) => unknown)(...args)]),
  ) as unknown as VerificationStore
}
const postgres = process.env.TEST_STORE === 'postgres' ? await startPostgres() : null
let databases = 0

/** An app signing users in from the `X-Test-User` header, with a store of its own (see `testStore`). */
export function testApp(overrides: Partial<VerificationAppDeps> = {}): {app: Hono; deps: VerificationAppDeps} {
  const deps: VerificationAppDeps = {
    stripe: stripeClient(),
    webhookSecret: WEBHOOK_SECRET,
    store: testStore(),
    // What app.request() puts in a path's URL.
    publicUrl: 'http://localhost',
    authenticate: (c) => c.req.header('x-test-user') ?? null,
    logger: testLogger,
    ...overrides,
  }
  return {app: createApp(deps), deps}
}

/** The caller's address as the test gives it, in the `X-Test-Address` header (a `clientAddress`). */
export function addressFromHeader(c: Context): string | null {
  return c.req.header('x-test-address') ?? null
}

/** Every client secret the tests of this file were handed, to look for in the logs. */
export const clientSecrets: string[] = []

/** `POST /create-verification-session` as `user` (none for null). */
export function create(app: Hono, {user = 'user_1', headers = {}, body}: {user?: string | null; headers?: Record<string, string>; body?: BodyInit} = {}): Promise<Response> {
  const allHeaders: Record<string, string> = {...headers}
  if (user) allHeaders['x-test-user'] = user
  return Promise.resolve(app.request('/create-verification-session', {method: 'POST', headers: allHeaders, body}))
}

/**
 * The client secret of a 200 answer that holds it and nothing else but, from a server on the
 * emulator (as every test app is), where the page loads the emulator's Stripe.js double.
 */
export async function clientSecretOf(res: Response): Promise<string> {
  assert.equal(res.status, 200)
  const json = (await res.json()) as Record<string, unknown>
  assert.deepEqual(Object.keys(json), ['client_secret', 'stripe_js'])
  assert.match(json.stripe_js as string, /^http:\/\/127\.0\.0\.1:\d+\/stripe\.js$/)
  const secret = json.client_secret as string
  assert.match(secret, /^vs_\w+_secret_\w+$/)
  clientSecrets.push(secret)
  return secret
}

/** The error of an answer of `status` (and `code`) that holds it and nothing else. */
export async function errorOf(res: Response, status: number, code?: string): Promise<ErrorAnswer['error']> {
  assert.equal(res.status, status)
  const json = (await res.json()) as ErrorAnswer
  assert.deepEqual(Object.keys(json), ['error'])
  assert.equal(typeof json.error.message, 'string')
  if (code) assert.equal(json.error.code, code)
  return json.error
}

let eventCounter = 0

/** A VerificationSession event shaped as Stripe sends it. */
export function sessionEvent(
  type: string,
  session: {id: string; status: VerificationStatus; userRef?: string | null; lastErrorCode?: string | null},
  created: number,
): Stripe.Event {
  eventCounter += 1
  const userRef = session.userRef === undefined ? 'user_1' : session.userRef
  return {
    id: `evt_test_${Date.now().toString(36)}_${eventCounter}`,
    object: 'event',
    api_version: '2026-01-28.clover',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: {id: null, idempotency_key: null},
    type,
    data: {
      object: {
        id: session.id,
        object: 'identity.verification_session',
        client_reference_id: userRef,
        client_secret: null,
        created: created - 60,
        last_error: session.lastErrorCode ? {code: session.lastErrorCode, reason: 'The document could not be verified.'} : null,
        last_verification_report: null,
        livemode: false,
        metadata: userRef ? {user_id: userRef} : {},
        options: {document: {}},
        redaction: null,
        status: session.status,
        type: 'document',
        url: null,
        verified_outputs: null,
      },
    },
  } as unknown as Stripe.Event
}

/** POSTs a payload to `/webhook` signed as Stripe signs it (`timestamp` in Unix seconds). */
export async function deliver(
  app: Hono,
  payload: string | Stripe.Event,
  {secret = WEBHOOK_SECRET, timestamp, header}: {secret?: string; timestamp?: number; header?: string} = {},
): Promise<Response> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const signature = header ?? (await (await import('stripe')).default.webhooks.generateTestHeaderStringAsync({payload: body, secret, timestamp}))
  return app.request('/webhook', {
    method: 'POST',
    headers: {'content-type': 'application/json', 'stripe-signature': signature},
    body,
  })
}

/** Whether any secret value of the suite, or anything shaped like one, reached the logs. */
export function secretsInLogs(extraSecrets: readonly string[] = []): string[] {
  const text = logLines.join('\n')
  const found: string[] = []
  for (const secret of [WEBHOOK_SECRET, SECRET_KEY, ...extraSecrets]) if (text.includes(secret)) found.push(secret)
  for (const pattern of [/_secret_[A-Za-z0-9]/, /\bsk_(test|live)_[A-Za-z0-9]/, /\bwhsec_[A-Za-z0-9]/]) {
    const match = text.match(pattern)
    if (match) found.push(match[0])
  }
  return found
}
