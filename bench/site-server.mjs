/**
 * The webhook receiver the bench loads: identity-verify/server as a site deploys it, the compiled
 * lib/ under plain Node (no TypeScript loader in memory), mounted alone in a Hono app with npm
 * start's time-outs and JSON-line log. Run by the bench as a child process:
 * `PORT=… STRIPE_WEBHOOK_SECRET=… DATABASE_PATH=… EMULATOR_URL=… node --max-semi-space-size=1 --heap-growing-percent=30 bench/site-server.mjs`
 * (the heap sizes docs/server.md recommends for production).
 */
import {serve} from '@hono/node-server'
import {createApp, createLogger, createStripeClient, NODE_SERVER_OPTIONS, openSqliteStore} from '../lib/server/index.js'

const {PORT, STRIPE_WEBHOOK_SECRET, DATABASE_PATH, EMULATOR_URL} = process.env
if (!PORT || !STRIPE_WEBHOOK_SECRET || !DATABASE_PATH || !EMULATOR_URL) {
  throw new Error('PORT, STRIPE_WEBHOOK_SECRET, DATABASE_PATH and EMULATOR_URL are required')
}
const store = openSqliteStore(DATABASE_PATH)
const app = createApp({
  stripe: createStripeClient({secretKey: 'sk_test_emulator', emulatorUrl: EMULATOR_URL}),
  webhookSecret: STRIPE_WEBHOOK_SECRET,
  store,
  publicUrl: `http://127.0.0.1:${PORT}`,
  // The bench sends webhooks only; nobody is signed in.
  authenticate: () => null,
  logger: createLogger(),
})
const server = serve({fetch: app.fetch, port: Number(PORT), hostname: '127.0.0.1', serverOptions: NODE_SERVER_OPTIONS})
process.once('SIGTERM', () =>
  server.close(async () => {
    await store.close()
    process.exit(0)
  }),
)
