import {after, before} from 'node:test'
import type Stripe from 'stripe'
import {startEmulator, type EmulatorOptions, type RunningEmulator} from '../../emulator/index.js'
import {silentLogger} from '../../server/log.js'
import {createStripeClient} from '../../server/stripe-client.js'

/**
 * An emulator on a free port and a stripe-node client pointed at it, started before a test file's
 * tests and closed after them. Webhooks go to a closed port unless the file gives a URL.
 */
export function emulatorForTests(options: Partial<EmulatorOptions> & {secretKey?: string} = {}): {emulator: RunningEmulator; stripe: Stripe} {
  const {secretKey = 'sk_test_emulator_tests', ...rest} = options
  const context = {} as {emulator: RunningEmulator; stripe: Stripe}
  before(async () => {
    context.emulator = await startEmulator({webhookSecret: 'whsec_emulator_tests', webhookUrl: 'http://127.0.0.1:9/closed', retryDelaysMs: [], logger: silentLogger, ...rest})
    context.stripe = createStripeClient({secretKey, apiBase: context.emulator.url, maxNetworkRetries: 0})
  })
  after(() => context.emulator?.close())
  return context
}
