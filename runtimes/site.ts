/**
 * The verification server as the runtimes without Node's native add-ons serve it (Bun, Deno,
 * Cloudflare Workers): the API routes, the visitor identity, the element's files and the pages of
 * `npm start`, over the PostgreSQL store, or without it on Bun and Deno the SQLite store in a file
 * through the runtime's own SQLite (Workers keeps it in Durable Objects, runtimes/durable/). Web
 * standards only; each runtime's entry adds how it listens, reads its settings and opens its store.
 */
import type {Context, Hono} from 'hono'
import {createLogger, createStripeClient, type Logger, type VerificationStore} from '../server/web.js'
import {ConfigError, readConfig, type ServerConfig} from '../site/config.js'
import {siteWithPages} from '../site/site-with-pages.js'
import {elementApp, type ElementApp} from '../server/element/answer.js'
import {memoryBuild} from '../server/element/memory-build.js'
import type {SqliteDriver} from '../server/store/sqlite/driver.js'
import {DEMO_BUILD} from './demo-build.js'

/**
 * The same variables as `npm start` (`PORT`, `DATABASE_URL`, `DATABASE_PATH`, `EMULATOR_URL` or
 * `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `STRIPE_PUBLISHABLE_KEY`, `PUBLIC_URL`, `ALLOWED_ORIGINS`,
 * `VISITOR_SECRET`), or a `ConfigError` saying what to set. Nothing runs beside the server here, so an
 * emulator of its own is no default. Without `DATABASE_URL`, Bun and Deno keep the sessions in the
 * SQLite file at `DATABASE_PATH` (default `.data/identity-verify.sqlite`, as `npm start`), Workers in
 * its Durable Objects.
 */
export function readRuntimeConfig(env: Record<string, string | undefined>, runtime: string): ServerConfig {
  return readConfig(env, () => {
    throw new ConfigError(`${runtime} cannot start the Stripe emulator itself: set EMULATOR_URL (npm run emulator) or STRIPE_SECRET_KEY`)
  })
}

/**
 * The key that signs visitors: `VISITOR_SECRET`, or else one derived from the webhook signing secret
 * (HMAC-SHA256 of a fixed label), the same on every instance and after every restart where
 * `npm start` keeps a generated one on disk; rotating the webhook secret then signs visitors out.
 */
export async function visitorSecretOf(config: ServerConfig): Promise<string> {
  if (config.visitorSecret) return config.visitorSecret
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', encoder.encode(config.webhookSecrets[0]!), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign'])
  const derived = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode('identity-verify visitor secret')))
  return Array.from(derived, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** A logger writing its JSON lines with `console.log`, which every runtime has and Workers collects. */
export function consoleLogger(): Logger {
  return createLogger((line) => console.log(line))
}

/** What `runtimeSite` serves with. */
export interface RuntimeSiteOptions {
  config: ServerConfig
  /** See `visitorSecretOf`. */
  visitorSecret: string
  store: VerificationStore
  files: ElementApp
  logger: Logger
  /** The caller's address, when the runtime's server does not hand it to Hono (Workers). */
  clientAddress?(c: Context): string | null
}

/**
 * The routes of `npm start`: the API, the visitor identity (its cookie set on the pages), the element's
 * files, and the pages (`/`, `/confirmation`, `/embed`) with their files, packed at build
 * (`runtimes/pack-widget.ts`). `EMULATOR_URL` is where browsers reach the emulator as well.
 */
export function runtimeSite({config, visitorSecret, store, files, logger, clientAddress}: RuntimeSiteOptions): Hono {
  const stripe = createStripeClient({secretKey: config.secretKey, emulatorUrl: config.emulatorUrl ?? undefined})
  return siteWithPages({config, stripe, visitorSecret, store, logger, files, build: DEMO_BUILD, emulatorUrl: config.emulatorUrl, ...(clientAddress && {clientAddress})})
}

/** The answer of a server that cannot serve: 500 with the message naming the setting to fix. */
export function misconfigured(message: string): Response {
  return Response.json({error: {message: `identity-verify cannot start: ${message}`, code: 'misconfigured'}}, {status: 500})
}

/** A site ready to listen, over a store it opened. */
export interface OpenedSite {
  config: ServerConfig
  app: Hono
  store: VerificationStore
  logger: Logger
  /** Where the sessions are kept, for the log: the SQLite file's path, or PostgreSQL at `DATABASE_URL` (never the URL, which holds a password). */
  database: string
}

/** Opens the runtime's SQLite driver on the file at `path` (`bun:sqlite` on Bun, `node:sqlite` on Deno). */
export type OpenSqlite = (path: string) => SqliteDriver | Promise<SqliteDriver>

/** The store of `config`: PostgreSQL at `DATABASE_URL`, or else SQLite in the file at `DATABASE_PATH`. */
async function openStore(config: ServerConfig, openSqlite: OpenSqlite): Promise<VerificationStore> {
  if (config.databaseUrl) {
    const {openPostgresStore} = await import('../server/store/postgres/index.js')
    try {
      return await openPostgresStore(config.databaseUrl, {poolSize: config.databasePoolSize})
    } catch (error) {
      throw new ConfigError(`cannot open the database (DATABASE_URL): ${(error as Error).message}`)
    }
  }
  const {openDriverConnection} = await import('../server/store/sqlite/connection.js')
  try {
    // One connection on the main thread: one process per file, whose event loop holds the writes.
    return openDriverConnection(await openSqlite(config.databasePath), {name: config.databasePath})
  } catch (error) {
    throw new ConfigError(`cannot open the SQLite store at ${config.databasePath} (DATABASE_PATH): ${(error as Error).message}`)
  }
}

/**
 * Reads the settings, opens the store (PostgreSQL with `DATABASE_URL`, else SQLite through
 * `openSqlite`) and builds the site, for a runtime whose process keeps its connections from one
 * request to the next (Bun, Deno). A `ConfigError` says what to set.
 */
export async function openRuntimeSite(env: Record<string, string | undefined>, runtime: string, openSqlite: OpenSqlite): Promise<OpenedSite> {
  const config = readRuntimeConfig(env, runtime)
  const logger = consoleLogger()
  // Loaded here, not above: Workers opens its store per request, without this function.
  const {WIDGET_FILES} = await import('./widget-build.js')
  const store = await openStore(config, openSqlite)
  const app = runtimeSite({config, visitorSecret: await visitorSecretOf(config), store, files: elementApp(await memoryBuild(WIDGET_FILES)), logger})
  return {config, app, store, logger, database: config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite file ${config.databasePath}`}
}
