/**
 * `npm run start:deno`: the verification server on Deno, with the same variables as `npm start`
 * (`DATABASE_URL` required). Deno serves Hono's `fetch` itself; it needs `--allow-net --allow-env`
 * (and `--allow-read`, `--allow-sys` for the PostgreSQL driver's Node modules).
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
  site = await openRuntimeSite(Deno.env.toObject(), 'Deno')
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  Deno.stderr.writeSync(new TextEncoder().encode(`identity-verify: cannot start: ${error.message}\n`))
  Deno.exit(1)
}
const {app, config, store, logger} = site
// The connection's info is handed to `fetch` as Hono's `c.env`: the routes read the caller's address from it.
const server = Deno.serve(
  {port: config.port, onListen: ({port}) => logger.info('server listening', {runtime: 'deno', port, publicUrl: config.publicUrl, mode: config.mode})},
  (request, info) => app.fetch(request, info),
)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info('shutting down', {signal})
  await server.shutdown()
  await store.close()
  Deno.exit(0)
}
Deno.addSignalListener('SIGTERM', () => void shutdown('SIGTERM'))
Deno.addSignalListener('SIGINT', () => void shutdown('SIGINT'))
