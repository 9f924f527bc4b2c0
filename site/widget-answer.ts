import type {MiddlewareHandler} from 'hono'
import {etag, RETAINED_304_HEADERS} from 'hono/etag'

/** How long a versioned file may be cached: a year, the longest browsers keep anything. */
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60

/** What a page may load from here, with the headers that let any site load it. */
export interface WidgetFiles {
  /** Serves the build's `.js` files at `/<file>` and at `/v/<version>/<file>`. */
  middleware: MiddlewareHandler
  /** The immutable, versioned path of the script, `/v/<version>/identity-verify.js`, for snippets. */
  scriptPath(): string
}

/** One file of the element's build, as served. */
export interface ServedFile {
  body: Uint8Array<ArrayBuffer>
  etag: string
}

/** Where the element's files are: the file under `dist/` by its path, and the build's current version. */
export interface WidgetBuild {
  find(name: string): ServedFile | null
  version(): string | null
}

/**
 * Serves the build's `.js` files at `/<file>` and `/v/<version>/<file>` to pages on any site:
 * `Access-Control-Allow-Origin: *` and `Cross-Origin-Resource-Policy: cross-origin` (they hold
 * nothing private), a JavaScript content type, and an `ETag` for 304 revalidation. The plain path is
 * revalidated on every use; the current versioned path is cached for a year. Web standards only: the
 * same answers on Node (from disk) and on the runtimes that hold the build in memory.
 */
export function widgetMiddleware(build: WidgetBuild): MiddlewareHandler {
  // A 304 keeps the headers that let another site use the cached file.
  const revalidate = etag({retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin', 'cross-origin-resource-policy', 'content-type', 'x-content-type-options']})
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    const match = /^\/(?:v\/([0-9a-f]{12})\/)?((?:[a-z0-9-]+\/)?[A-Za-z0-9_-]+\.js)$/.exec(c.req.path)
    if (!match) return next()
    const [, requestedVersion, name] = match as unknown as [string, string | undefined, string]
    const file = build.find(name)
    if (!file) {
      if (name !== 'identity-verify.js') return next()
      return c.json({error: {message: 'dist/identity-verify.js is missing: run `npm run build` first', code: 'not_built'}}, 404)
    }
    const immutable = requestedVersion !== undefined && requestedVersion === build.version()
    const headers = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': immutable ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache',
      ETag: file.etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    }
    await revalidate(c, async () => {
      c.res = c.body(file.body, 200, headers)
    })
  }
}
