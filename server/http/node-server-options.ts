/**
 * Time-outs of Node's HTTP server sized for what this server takes: a webhook (256 KiB at most) and a
 * create (4 KiB) arrive in well under a second, so a client that trickles its headers or body in is
 * dropped within seconds instead of holding a connection for Node's default five minutes. Pass them
 * as `serve({fetch: app.fetch, serverOptions: NODE_SERVER_OPTIONS})` (@hono/node-server).
 */
export const NODE_SERVER_OPTIONS = {
  /** Headers complete within 5 s. */
  headersTimeout: 5_000,
  /** The whole request, body included, within 10 s. */
  requestTimeout: 10_000,
  /** How often Node checks those two (its default, 30 s, would let a slow client stay that long). */
  connectionsCheckingInterval: 1_000,
} as const
