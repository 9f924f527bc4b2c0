/**
 * `npm run start:workers`: the verification server as a Cloudflare Worker (`wrangler dev` runs it in
 * workerd locally; `wrangler deploy` publishes it). Its settings are the Worker's variables and
 * secrets, named as for `npm start`; a Hyperdrive binding named `HYPERDRIVE` stands for `DATABASE_URL`.
 *
 * A Worker may not use one request's connection in another, so each request opens its own (through
 * Hyperdrive's pool in production) and closes it once answered.
 */
import type {ExecutionContext} from 'hono'
import {openPostgresStore} from '../server/store/postgres/index.js'
import {ConfigError} from '../site/config.js'
import {consoleLogger, misconfigured, readRuntimeConfig, runtimeSite, visitorSecretOf, type RuntimeConfig} from './site.js'
import {WIDGET_FILES} from './widget-build.js'
import {elementApp, type ElementApp} from '../server/element/answer.js'
import {memoryBuild} from '../server/element/memory-build.js'

/** The Worker's environment: its variables and secrets, and maybe a Hyperdrive binding. */
type WorkerEnv = Record<string, unknown> & {HYPERDRIVE?: {connectionString: string}}

const logger = consoleLogger()
let files: Promise<ElementApp> | null = null
/** The databases this isolate brought up to date already: later requests skip the migration's statements. */
const migrated = new Set<string>()

/** The variables as strings, `DATABASE_URL` from Hyperdrive when it is bound. */
function settings(env: WorkerEnv): Record<string, string | undefined> {
  const strings = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  return env.HYPERDRIVE ? {...strings, DATABASE_URL: env.HYPERDRIVE.connectionString} : strings
}

export default {
  async fetch(request: Request, env: WorkerEnv, context: ExecutionContext): Promise<Response> {
    let config: RuntimeConfig
    try {
      config = readRuntimeConfig(settings(env), 'Cloudflare Workers')
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      logger.error('cannot start', {reason: error.message})
      return misconfigured(error.message)
    }
    files ??= memoryBuild(WIDGET_FILES).then(elementApp)
    const store = await openPostgresStore(config.databaseUrl, {poolSize: 1, migrate: !migrated.has(config.databaseUrl)})
    migrated.add(config.databaseUrl)
    try {
      // Cloudflare's edge sets CF-Connecting-IP to the caller's address (what Hono's getConnInfo reads there).
      const app = runtimeSite({
        config,
        visitorSecret: await visitorSecretOf(config),
        store,
        files: await files,
        logger,
        clientAddress: (c) => c.req.header('cf-connecting-ip') ?? null,
      })
      return await app.fetch(request, env, context)
    } finally {
      context.waitUntil(Promise.resolve(store.close()))
    }
  },
}
