import type {MiddlewareHandler} from 'hono'

/** How long a versioned file may be cached: a year, the longest browsers keep anything. */
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60

/** What a page may load from here, with the headers that let any site load it. */
export interface WidgetFiles {
  /** Serves the build's `.js` files at `/<file>` and at `/v/<version>/<file>`. */
  middleware: MiddlewareHandler
  /** The immutable, versioned path of the script, `/v/<version>/identity-verify.js`, for snippets. */
  scriptPath(): string
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')

/**
 * The element's files held in memory (`runtimes/widget-build.js`, packed from `dist/`), served as
 * `npm start` serves them from disk: `Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy:
 * cross-origin`, a JavaScript content type and an `ETag`; the versioned path is cached for a year.
 */
export async function widgetFiles(texts: Readonly<Record<string, string>>): Promise<WidgetFiles> {
  const encoder = new TextEncoder()
  const files = new Map<string, {body: Uint8Array<ArrayBuffer>; etag: string}>()
  for (const name of Object.keys(texts).sort()) {
    const body = encoder.encode(texts[name])
    files.set(name, {body, etag: `"${base64url(await sha256(body)).slice(0, 22)}"`})
  }
  const listing = [...files].map(([name, file]) => `${name}\n${file.etag}\n`).join('')
  const version = files.size ? hex(await sha256(encoder.encode(listing))).slice(0, 12) : null

  return {
    scriptPath: () => (version ? `/v/${version}/identity-verify.js` : '/identity-verify.js'),
    middleware: async (c, next) => {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
      const match = /^\/(?:v\/([0-9a-f]{12})\/)?((?:[a-z0-9-]+\/)?[A-Za-z0-9_-]+\.js)$/.exec(c.req.path)
      if (!match) return next()
      const [, requestedVersion, name] = match as unknown as [string, string | undefined, string]
      const file = files.get(name)
      if (!file) {
        if (name !== 'identity-verify.js') return next()
        return c.json({error: {message: 'dist/identity-verify.js is missing: run `npm run build` first', code: 'not_built'}}, 404)
      }
      const immutable = requestedVersion !== undefined && requestedVersion === version
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
      return c.body(file.body, 200, headers)
    },
  }
}
