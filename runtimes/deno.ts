/**
 * `npm run start:deno`: the verification server on Deno, with the same variables as `npm start`
 * (without `DATABASE_URL`, the SQLite file at `DATABASE_PATH` through `node:sqlite`). Deno serves
 * Hono's `fetch` itself; it needs `--allow-net --allow-env`, `--allow-read --allow-write` for the
 * SQLite file (and `--allow-sys` for the PostgreSQL driver's Node modules).
 */
import {ConfigError} from '../site/config.js'
import {openRuntimeSite, type OpenedSite} from './site.js'

/** The part of Deno's API this entry uses (Deno's own types are not installed). */
declare const Deno: {
  env: {toObject(): Record<string, string>}
  serve(options: {port: number; onListen?(address: {port: number}): void}, handler: (request: Request, info: unknown) => Response | Promise<Response>): {shutdown(): Promise<void>}
  addSignalListener(signal: 'SIGTERM' | 'SIGINT', listener: () => void): void
  exit(code: number): never
  stderr: {writeSync(bytes: Uint8Array): number}
}

let site: OpenedSite
try {
  site = await openRuntimeSite(Deno.env.toObject(), 'Deno', async (path) => (await import('../server/store/sqlite/drivers/node-sqlite.js')).openNodeSqlite(path))
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  Deno.stderr.writeSync(new TextEncoder().encode(`identity-verify: cannot start: ${error.message}\n`))
  Deno.exit(1)
}
const {app, config, store, logger, database} = site

/** The longest a stop waits for the requests in flight. */
const SHUTDOWN_GRACE_MS = 10_000
let stopping = false
let inFlight = 0
let drained = () => {}

// The connection's info is handed to `fetch` as Hono's `c.env`: the routes read the caller's address from it.
const server = Deno.serve(
  {port: config.port, onListen: ({port}) => logger.info('server listening', {runtime: 'deno', port, publicUrl: config.publicUrl, mode: config.mode, database})},
  async (request, info) => {
    // Stopping: a new request is turned away, for the load balancer to send it elsewhere.
    if (stopping) return Response.json({error: {message: 'The server is stopping', code: 'stopping'}}, {status: 503, headers: {Connection: 'close', 'Retry-After': '1'}})
    inFlight++
    try {
      return await app.fetch(request, info)
    } finally {
      if (--inFlight === 0) drained()
    }
  },
)

/**
 * Stops once the requests in flight are answered: Deno's own `shutdown` closes the body of a request
 * still arriving (a webhook would answer 500), so it is called only when none is left.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info('shutting down', {signal, inFlight})
  if (inFlight > 0) await new Promise<void>((resolve) => ((drained = resolve), setTimeout(resolve, SHUTDOWN_GRACE_MS)))
  await server.shutdown()
  await store.close()
  Deno.exit(0)
}
Deno.addSignalListener('SIGTERM', () => void shutdown('SIGTERM'))
Deno.addSignalListener('SIGINT', () => void shutdown('SIGINT'))
