// Hand-written rather than Hono's getConnInfo, whose helper for each runtime imports that runtime's module: this runs on all.
import type {Context} from 'hono'

/** The shapes of `c.env` the servers of each runtime hand a Hono app, as far as the peer's address goes. */
interface RuntimeEnv {
  /** @hono/node-server: the Node request, whose socket knows its peer. */
  incoming?: {socket?: {remoteAddress?: string}}
  /** Bun: `Bun.serve({fetch: app.fetch})` passes the server, which looks the request's peer up. */
  requestIP?(request: Request): {address?: string} | null
  /** Deno: `Deno.serve(app.fetch)` passes the connection's info. */
  remoteAddr?: {hostname?: string}
}

/**
 * The socket's peer of this request, read the way each runtime's server tells it (what Hono's
 * per-runtime `getConnInfo` helpers read), without importing any runtime's module: Node
 * (@hono/node-server), Bun and Deno. Null elsewhere (`app.request()`, Cloudflare Workers, where the
 * address comes in a header only Cloudflare's edge can be trusted to set: pass `clientAddress`).
 */
export function socketAddress(c: Context): string | null {
  const env = c.env as RuntimeEnv | undefined
  if (!env || typeof env !== 'object') return null
  try {
    if (env.incoming) return env.incoming.socket?.remoteAddress ?? null
    if (typeof env.requestIP === 'function') return env.requestIP(c.req.raw)?.address ?? null
    return env.remoteAddr?.hostname ?? null
  } catch {
    return null
  }
}
