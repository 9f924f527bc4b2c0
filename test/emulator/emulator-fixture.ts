import assert from 'node:assert/strict'
import {after, before} from 'node:test'
import type Stripe from 'stripe'
import {startEmulator, type EmulatorOptions, type RunningEmulator} from '../../emulator/index.js'
import {silentLogger} from '../../server/log/logger.js'
import {createStripeClient} from '../../server/stripe/client.js'
import {answerViolations, routeOf} from './stripe-schema.js'

/** One API answer the tests saw, checked against Stripe's schema. */
export interface CheckedAnswer {
  route: string
  status: number
  violations: string[]
}

/**
 * An emulator on a free port and a stripe-node client pointed at it, started before a test file's
 * tests and closed after them. Webhooks go to a closed port unless the file gives a URL.
 *
 * Every answer of the API is checked against Stripe's published schema (stripe-schema.ts); the
 * file fails after its tests if any answer was not of Stripe's shape.
 */
export function emulatorForTests(options: Partial<EmulatorOptions> & {secretKey?: string} = {}): {emulator: RunningEmulator; stripe: Stripe; answers: CheckedAnswer[]} {
  const {secretKey = 'sk_test_emulator_tests', ...rest} = options
  const context = {answers: []} as unknown as {emulator: RunningEmulator; stripe: Stripe; answers: CheckedAnswer[]}
  const pending = new Set<Promise<void>>()
  const observe = (request: Request, response: Response) => {
    const url = new URL(request.url)
    if (!url.pathname.startsWith('/v1/')) return
    const route = routeOf(request.method, url.pathname) ?? `${request.method} ${url.pathname}`
    const check = response.text().then((text) => {
      const body = JSON.parse(text) as unknown
      const violations = routeOf(request.method, url.pathname) || response.status >= 400 ? answerViolations(route, response.status, body) : [`no Stripe route answers ${route}`]
      context.answers.push({route, status: response.status, violations})
    })
    pending.add(check)
    void check.finally(() => pending.delete(check))
  }
  before(async () => {
    context.emulator = await startEmulator({
      webhookSecret: 'whsec_emulator_tests',
      webhookUrl: 'http://127.0.0.1:9/closed',
      retryDelaysMs: [],
      logger: silentLogger,
      observe,
      ...rest,
    })
    context.stripe = createStripeClient({secretKey, emulatorUrl: context.emulator.url, maxNetworkRetries: 0})
  })
  after(async () => {
    await context.emulator?.close()
    await Promise.all(pending)
    const drifted = context.answers.filter((a) => a.violations.length > 0)
    const listed = drifted.slice(0, 10).map((a) => `  ${a.route} → ${a.status}: ${a.violations.join('; ')}`)
    assert.equal(drifted.length, 0, `${drifted.length} of ${context.answers.length} API answers are not of the shape Stripe's schema gives:\n${listed.join('\n')}`)
  })
  return context
}
