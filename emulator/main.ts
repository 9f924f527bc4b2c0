/**
 * `npm run emulator`: the Stripe Identity emulator on its own. Reads EMULATOR_PORT (12111),
 * STRIPE_WEBHOOK_SECRET (the signing secret; generated when unset) and WEBHOOK_URL (the forward URL).
 */
import {randomBytes} from 'node:crypto'
import {createLogger} from '../server/log/logger.js'
import {DEFAULT_WEBHOOK_URL, startEmulator} from './index.js'

const port = Number(process.env.EMULATOR_PORT ?? 12111)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`EMULATOR_PORT must be a port number, not ${process.env.EMULATOR_PORT}\n`)
  process.exit(1)
}
const fromEnv = process.env.STRIPE_WEBHOOK_SECRET
if (fromEnv !== undefined && !fromEnv.startsWith('whsec_')) {
  process.stderr.write('STRIPE_WEBHOOK_SECRET must be a whsec_… signing secret\n')
  process.exit(1)
}
const webhookSecret = fromEnv ?? `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, '')}`
const webhookUrl = process.env.WEBHOOK_URL ?? DEFAULT_WEBHOOK_URL

const emulator = await startEmulator({port, hostname: 'localhost', webhookSecret, webhookUrl, logger: createLogger(undefined, {component: 'emulator'})})

// The secret is never printed in full: its last characters identify it, and a receiver needs the
// same value, so a generated one is only useful for a receiver that does not verify signatures.
const origin = fromEnv ? 'from STRIPE_WEBHOOK_SECRET' : 'generated; set STRIPE_WEBHOOK_SECRET to choose one your receiver knows'
process.stdout.write(
  [
    `Stripe Identity emulator (test mode) listening on ${emulator.url}`,
    `  API        ${emulator.url}/v1   (any sk_test_… key)`,
    `  Stripe.js  ${emulator.url}/stripe.js`,
    `  Dashboard  ${emulator.url}/dashboard`,
    `  Webhooks   ${webhookUrl}, signed with whsec_…${webhookSecret.slice(-4)} (${origin})`,
    '',
  ].join('\n'),
)

let stopping = false
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  process.stdout.write(`Received ${signal}, stopping.\n`)
  await emulator.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
