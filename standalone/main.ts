/**
 * `npm start`: the verification server with the demo pages, on Node. Without `STRIPE_SECRET_KEY` it
 * starts the Stripe Identity emulator in-process and runs fully offline.
 */
import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import type {AddressInfo} from 'node:net'
import {serve} from '@hono/node-server'
import type {Hono} from 'hono'
import type {RunningEmulator} from '../emulator/index.js'
import {readDemoBuild} from '../demo/read-build.js'
import {createLogger, createStripeClient, NODE_SERVER_OPTIONS, serveElement, type VerificationStore} from '../server/index.js'
import {ConfigError, readConfig, type ServerConfig} from '../site/config.js'
import {siteWithPages} from '../site/site-with-pages.js'
import {openConfiguredStore} from './store.js'

const SHUTDOWN_GRACE_MS = 10_000

const logger = createLogger()

/** Stops the start with a message for the person starting the server. */
function cannotStart(message: string): never {
  process.stderr.write(`identity-verify: cannot start: ${message}\n`)
  process.exit(1)
}

/**
 * The visitor cookie's key when `VISITOR_SECRET` is not set: generated once and kept next to the
 * database (owner-only), so a restart neither signs visitors out nor loses the status they see.
 */
function storedVisitorSecret(databasePath: string): string {
  if (databasePath === ':memory:') return randomBytes(32).toString('base64url')
  const file = `${databasePath}-visitor-secret`
  const read = () => {
    const secret = readFileSync(file, 'utf8').trim()
    if (secret.length < 32) throw new Error('it holds fewer than 32 characters: delete it to have a new key made')
    return secret
  }
  try {
    try {
      return read()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    mkdirSync(dirname(file), {recursive: true})
    const secret = randomBytes(32).toString('base64url')
    try {
      writeFileSync(file, secret, {mode: 0o600, flag: 'wx'})
      return secret
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      return read() // another process created it first
    }
  } catch (error) {
    cannotStart(`cannot keep the visitor cookie's key at ${file} (set VISITOR_SECRET, or DATABASE_PATH for another folder): ${(error as Error).message}`)
  }
}

let config: ServerConfig
try {
  config = readConfig(process.env, () => `whsec_${randomBytes(24).toString('base64')}`)
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  cannotStart(err.message)
}

let store: VerificationStore
let databaseDescription: string
try {
  ;({store, description: databaseDescription} = await openConfiguredStore(config, logger))
} catch (err) {
  const [where, variable] = config.databaseUrl ? ['', 'DATABASE_URL'] : [` at ${config.databasePath}`, 'DATABASE_PATH']
  cannotStart(`cannot open the database${where} (${variable}): ${(err as Error).message}`)
}
let emulator: RunningEmulator | null = null
// With EMULATOR_URL the emulator is another program's, shared by every server pointed at it.
if (config.mode === 'emulator' && !config.emulatorUrl) {
  try {
    emulator = await (
      await import('../emulator/index.js')
    ).startEmulator({
      port: config.emulatorPort,
      webhookSecret: config.webhookSecrets[0]!,
      webhookUrl: `http://localhost:${config.port || 4242}/webhook`,
      logger: createLogger(undefined, {component: 'emulator'}),
    })
  } catch (err) {
    cannotStart(`the emulator cannot listen on port ${config.emulatorPort} (EMULATOR_PORT): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}
const emulatorPort = emulator?.port ?? null
// The browser reaches the emulator by name, as it reaches the demo.
const emulatorPublicUrl = emulatorPort === null ? config.emulatorUrl : `http://localhost:${emulatorPort}`
const stripe = createStripeClient({secretKey: config.secretKey, emulatorUrl: emulator?.url ?? config.emulatorUrl ?? undefined})
const visitorSecret = config.visitorSecret ?? storedVisitorSecret(config.databasePath)
const files = serveElement()
// Read once here, then served from memory, as every other runtime serves its packed copy.
const demoBuild = readDemoBuild()

/**
 * The site at `publicUrl`: the API, the element's script and the modules it loads (for pages on this
 * site and any other), and the demo pages.
 */
function buildSite(publicUrl: string): Hono {
  return siteWithPages({config: {...config, publicUrl}, stripe, visitorSecret, store, logger, files, build: demoBuild, emulatorUrl: emulatorPublicUrl})
}

// Built once listening: without PUBLIC_URL, emulator mode's origin is http://localhost and the port
// listened on, which PORT=0 leaves to the system. Node emits `listening` before it takes a connection.
let site: Hono | null = null
const server = serve(
  {fetch: (request, env) => (site ? site.fetch(request, env) : new Response(null, {status: 503})), port: config.port, serverOptions: NODE_SERVER_OPTIONS},
  (info: AddressInfo) => {
    const localUrl = `http://localhost:${info.port}`
    const publicUrl = config.publicUrlSource === 'default' ? localUrl : config.publicUrl
    site = buildSite(publicUrl)
    // The in-process emulator delivers on this machine, whatever address browsers use.
    emulator?.setWebhookUrl(`${localUrl}/webhook`)
    logger.info('server listening', {mode: config.mode, port: info.port, publicUrl, emulatorPort, database: databaseDescription})
    printBanner(publicUrl, localUrl)
  },
)

/** What the person starting the server needs to know: where it is, its mode, its secrets' sources. */
function printBanner(publicUrl: string, localUrl: string): void {
  const secretHint =
    config.webhookSecretSource === 'generated'
      ? 'generated for this run (the in-process emulator signs with it)'
      : `from STRIPE_WEBHOOK_SECRET (${config.webhookSecrets.length} secret${config.webhookSecrets.length > 1 ? 's' : ''})`
  const lines = [
    '',
    `  identity-verify is running (${config.mode === 'emulator' ? 'emulator mode: offline, no Stripe account needed' : `real Stripe, ${config.secretKey.includes('_live_') ? 'LIVE' : 'test'} mode`})`,
    '',
    `  Public URL:      ${publicUrl} (${config.publicUrlSource === 'environment' ? 'PUBLIC_URL' : 'default; set PUBLIC_URL to the address browsers use'})`,
    `  Demo:            ${publicUrl}/`,
    ...(emulatorPublicUrl ? [`  Dashboard:       ${emulatorPublicUrl}/dashboard`] : []),
    `  Script:          ${publicUrl}${files.scriptPath()}`,
    `  Other sites:     ${config.allowedOrigins.join(', ') || 'none allowed (set ALLOWED_ORIGINS to embed on another site)'}`,
    `  Webhook:         ${publicUrl}/webhook`,
    `  Webhook secret:  ${secretHint}`,
    `  Database:        ${databaseDescription}`,
    '',
  ]
  if (config.mode === 'stripe') lines.splice(lines.length - 1, 0, `  Forward events:  stripe listen --forward-to ${localUrl}/webhook`)
  process.stdout.write(lines.join('\n') + '\n')
}

server.on('error', (err: NodeJS.ErrnoException) => {
  cannotStart(`cannot listen on port ${config.port} (PORT): ${err.code ?? err.message}`)
})

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info('shutting down', {signal})
  setTimeout(() => {
    logger.error('requests still running after the grace period, exiting anyway', {graceMs: SHUTDOWN_GRACE_MS})
    process.exit(1)
  }, SHUTDOWN_GRACE_MS).unref()
  // Stop accepting, let running requests finish, drop idle keep-alive connections.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  if ('closeIdleConnections' in server) server.closeIdleConnections()
  await closed
  await emulator?.close()
  await store.close()
  logger.info('stopped', {signal})
  process.exit(0)
}
process.once('SIGTERM', () => void shutdown('SIGTERM'))
process.once('SIGINT', () => void shutdown('SIGINT'))
