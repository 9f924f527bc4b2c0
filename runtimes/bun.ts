/**
 * `npm run start:bun`: the verification server on Bun, with the same variables as `npm start`
 * (without `DATABASE_URL`, the SQLite file at `DATABASE_PATH` through `bun:sqlite`). Bun serves Hono's
 * `fetch` itself; Node's HTTP server is not involved.
 */
import {ConfigError} from '../site/config.js'
import {openRuntimeSite, type OpenedSite} from './site.js'

/** The part of Bun's API this entry uses (Bun's own types are not installed). */
declare const Bun: {
  serve(options: {port: number; fetch(request: Request, server: unknown): Response | Promise<Response>}): {port: number; stop(): Promise<void>}
}

let site: OpenedSite
try {
  site = await openRuntimeSite(process.env, 'Bun', async (path) => (await import('../server/store/sqlite/drivers/bun-sqlite.js')).openBunSqlite(path))
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`identity-verify: cannot start: ${error.message}\n`)
  process.exit(1)
}
const {app, config, store, logger, database} = site
// The server hands itself to `fetch` as Hono's `c.env`: the routes read the caller's address from it.
const server = Bun.serve({port: config.port, fetch: (request, bunServer) => app.fetch(request, bunServer)})
logger.info('server listening', {runtime: 'bun', port: server.port, publicUrl: config.publicUrl, mode: config.mode, database})

async function shutdown(signal: string): Promise<void> {
  logger.info('shutting down', {signal})
  await server.stop()
  await store.close()
  process.exit(0)
}
process.once('SIGTERM', () => void shutdown('SIGTERM'))
process.once('SIGINT', () => void shutdown('SIGINT'))
