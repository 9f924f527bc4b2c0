/**
 * `npm run start:workers`: the verification server as a Cloudflare Worker (`wrangler dev` runs it in
 * workerd locally; `wrangler deploy` publishes it). Its settings are the Worker's variables and
 * secrets, named as for `npm start`.
 *
 * Without `DATABASE_URL` its state lives in SQLite-backed Durable Objects (runtimes/durable/): no
 * database to rent. With it (or a Hyperdrive binding named `HYPERDRIVE`), in PostgreSQL: a Worker may
 * not use one request's connection in another, so each request opens its own (through Hyperdrive's
 * pool in production) and closes it once answered.
 */
import type {ExecutionContext} from 'hono'
import {openPostgresStore} from '../server/store/postgres/index.js'
import type {VerificationStore} from '../server/web.js'
import {ConfigError, type ServerConfig} from '../site/config.js'
import {consoleLogger, misconfigured, readRuntimeConfig, runtimeSite, visitorSecretOf} from './site.js'
import {WIDGET_FILES} from './widget-build.js'
import {elementApp, type ElementApp} from '../server/element/answer.js'
import {memoryBuild} from '../server/element/memory-build.js'
import {durableObjectStore, ObjectRoutes, type DurableObjectBindings} from './durable/store.js'

export {SubmissionsObject, VerificationObject} from './durable/objects.js'

/** The Worker's environment: its variables and secrets, its Durable Objects, and maybe a Hyperdrive binding. */
type WorkerEnv = Record<string, unknown> & Partial<DurableObjectBindings> & {HYPERDRIVE?: {connectionString: string}}

const logger = consoleLogger()
let files: Promise<ElementApp> | null = null
/** The databases this isolate brought up to date already: later requests skip the migration's statements. */
const migrated = new Set<string>()
/** Where this isolate saw the Durable Objects' events and sessions. */
const routes = new ObjectRoutes()

/** The variables as strings, `DATABASE_URL` from Hyperdrive when it is bound. */
function settings(env: WorkerEnv): Record<string, string | undefined> {
  const strings = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  return env.HYPERDRIVE ? {...strings, DATABASE_URL: env.HYPERDRIVE.connectionString} : strings
}

/** The store of this request, and what to do once it is answered. */
async function openStore(config: ServerConfig, env: WorkerEnv): Promise<{store: VerificationStore; close(): unknown}> {
  if (config.databaseUrl !== null) {
    const store = await openPostgresStore(config.databaseUrl, {poolSize: 1, migrate: !migrated.has(config.databaseUrl)})
    migrated.add(config.databaseUrl)
    return {store, close: () => store.close()}
  }
  if (!env.VERIFICATIONS || !env.SUBMISSIONS) {
    throw new ConfigError('the Durable Object bindings VERIFICATIONS and SUBMISSIONS are missing (see wrangler.jsonc), and DATABASE_URL is not set')
  }
  return {store: durableObjectStore({VERIFICATIONS: env.VERIFICATIONS, SUBMISSIONS: env.SUBMISSIONS}, routes), close() {}}
}

export default {
  async fetch(request: Request, env: WorkerEnv, context: ExecutionContext): Promise<Response> {
    let config: ServerConfig
    let opened: {store: VerificationStore; close(): unknown}
    try {
      config = readRuntimeConfig(settings(env), 'Cloudflare Workers')
      opened = await openStore(config, env)
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      logger.error('cannot start', {reason: error.message})
      return misconfigured(error.message)
    }
    files ??= memoryBuild(WIDGET_FILES).then(elementApp)
    try {
      // Cloudflare's edge sets CF-Connecting-IP to the caller's address (what Hono's getConnInfo reads there).
      const app = runtimeSite({
        config,
        visitorSecret: await visitorSecretOf(config),
        store: opened.store,
        files: await files,
        logger,
        clientAddress: (c) => c.req.header('cf-connecting-ip') ?? null,
      })
      return await app.fetch(request, env, context)
    } finally {
      context.waitUntil(Promise.resolve(opened.close()))
    }
  },
}
