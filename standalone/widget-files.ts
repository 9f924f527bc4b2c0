import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {MiddlewareHandler} from 'hono'

/** The element's build: `identity-verify.js`, its language modules and any other chunk it loads. */
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

/** How long a versioned file may be cached: a year, the longest browsers keep anything. */
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60

interface BuiltFile {
  body: Uint8Array
  etag: string
  mtimeMs: number
}

/** What a page may load from here, with the headers that let any site load it. */
export interface WidgetFiles {
  /** Serves the build's `.js` files at `/<file>` and at `/v/<version>/<file>`. */
  middleware: MiddlewareHandler
  /** The immutable, versioned path of the script, `/v/<version>/identity-verify.js`, for snippets. */
  scriptPath(): string
}

/**
 * The element's files for pages on any site: `Access-Control-Allow-Origin: *` and
 * `Cross-Origin-Resource-Policy: cross-origin` (they hold nothing private), a JavaScript content type,
 * and an `ETag` for 304 revalidation. The plain path is revalidated on every use; the versioned path
 * names the build by its content, so it is cached for a year and a new build gets a new path. A page
 * that still names an older build is served the current one, revalidated, rather than nothing.
 */
export function widgetFiles(dist = DIST): WidgetFiles {
  const cache = new Map<string, BuiltFile>()

  /** The build's files by their path under `dist/`, read again when they change on disk. */
  function read(name: string): BuiltFile | null {
    let mtimeMs: number
    try {
      mtimeMs = statSync(join(dist, name)).mtimeMs
    } catch {
      return null
    }
    const cached = cache.get(name)
    if (cached?.mtimeMs === mtimeMs) return cached
    const body = readFileSync(join(dist, name))
    const file = {body, mtimeMs, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`}
    cache.set(name, file)
    return file
  }

  function names(): string[] {
    try {
      return readdirSync(dist, {recursive: true, encoding: 'utf8'})
        .filter((name) => name.endsWith('.js'))
        .map((name) => name.replaceAll('\\', '/'))
        .sort()
    } catch {
      return []
    }
  }

  /** The build's version: a digest of every file in it, so a change to any language changes it too. */
  function version(): string | null {
    const hash = createHash('sha256')
    let any = false
    for (const name of names()) {
      const file = read(name)
      if (file) (any = true), hash.update(`${name}\n${file.etag}\n`)
    }
    return any ? hash.digest('hex').slice(0, 12) : null
  }

  return {
    scriptPath() {
      const current = version()
      return current ? `/v/${current}/identity-verify.js` : '/identity-verify.js'
    },
    middleware: async (c, next) => {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
      const match = /^\/(?:v\/([0-9a-f]{12})\/)?((?:[a-z0-9-]+\/)?[A-Za-z0-9_-]+\.js)$/.exec(c.req.path)
      if (!match) return next()
      const [, requestedVersion, name] = match as unknown as [string, string | undefined, string]
      if (!names().includes(name)) {
        if (name !== 'identity-verify.js') return next()
        return c.json({error: {message: 'dist/identity-verify.js is missing: run `npm run build` first', code: 'not_built'}}, 404)
      }
      const file = read(name)!
      const immutable = requestedVersion !== undefined && requestedVersion === version()
      const headers = {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': immutable ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache',
        ETag: file.etag,
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'X-Content-Type-Options': 'nosniff',
      }
      const known = c.req.header('if-none-match')?.split(',').map((tag) => tag.trim().replace(/^W\//, ''))
      if (known?.includes(file.etag) || known?.includes('*')) return c.body(null, 304, headers)
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, headers)
    },
  }
}
