import {Hono, type Context, type Next} from 'hono'
import {etag, RETAINED_304_HEADERS} from 'hono/etag'

/** How long a versioned file may be cached: a year, the longest browsers keep anything. */
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60

/** One file of the element's build, as served. */
export interface ServedFile {
  body: Uint8Array<ArrayBuffer>
  etag: string
}

/** Where the element's files are: the file under `dist/` by its path, and the build's current version. */
export interface ElementBuild {
  find(name: string): ServedFile | null
  version(): string | null
}

/** A Hono app serving the element's files, wherever it is mounted. */
export interface ElementApp extends Hono {
  /**
   * The immutable, versioned path of the script under the app's mount point,
   * `/v/<12 hex>/identity-verify.js` (or `/identity-verify.js` before a build), for snippets.
   */
  scriptPath(): string
}

// A file at the top of the build or one folder down (`locales/fr.js`), by route parameters rather than
// by the request's whole path, so that the same routes answer under whatever prefix a site mounts them.
const NAME = ':name{[A-Za-z0-9_-]+\\.js}'
const FOLDER = ':folder{[a-z0-9-]+}'
const VERSION = ':version{[0-9a-f]{12}}'

/**
 * The element's script, its language modules and chunks at `/<file>` and `/v/<version>/<file>`, for
 * pages on any site: `Access-Control-Allow-Origin: *` and `Cross-Origin-Resource-Policy: cross-origin`
 * (they hold nothing private), a JavaScript content type, and an `ETag` for 304 revalidation. The
 * plain path is revalidated on every use; the current versioned path is cached for a year, and a page
 * that still names an older build is served the current one, revalidated, rather than nothing. Web
 * standards only: the same answers on Node (from disk) and on the runtimes that hold the build in memory.
 */
export function elementApp(build: ElementBuild): ElementApp {
  // A 304 keeps the headers that let another site use the cached file.
  const revalidate = etag({retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin', 'cross-origin-resource-policy', 'content-type', 'x-content-type-options']})
  const answer = async (c: Context, next: Next) => {
    const {version: requestedVersion, folder, name: file} = c.req.param() as {version?: string; folder?: string; name: string}
    const name = folder ? `${folder}/${file}` : file
    const found = build.find(name)
    if (!found) {
      if (name !== 'identity-verify.js') return next()
      return c.json({error: {message: 'dist/identity-verify.js is missing: run `npm run build` first', code: 'not_built'}}, 404)
    }
    const immutable = requestedVersion !== undefined && requestedVersion === build.version()
    const headers = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': immutable ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache',
      ETag: found.etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    }
    await revalidate(c, async () => {
      c.res = c.body(found.body, 200, headers)
    })
  }
  const app = new Hono()
  for (const path of [`/${NAME}`, `/${FOLDER}/${NAME}`, `/v/${VERSION}/${NAME}`, `/v/${VERSION}/${FOLDER}/${NAME}`]) app.get(path, answer)
  return Object.assign(app, {
    scriptPath() {
      const current = build.version()
      return current ? `/v/${current}/identity-verify.js` : '/identity-verify.js'
    },
  })
}
