import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {widgetMiddleware, type ServedFile, type WidgetFiles} from '../site/widget-answer.js'

export type {WidgetFiles} from '../site/widget-answer.js'

/** The element's build: `identity-verify.js`, its language modules and any other chunk it loads. */
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))

interface BuiltFile extends ServedFile {
  mtimeMs: number
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
      if (!file) continue
      any = true
      hash.update(`${name}\n${file.etag}\n`)
    }
    return any ? hash.digest('hex').slice(0, 12) : null
  }

  return {
    scriptPath() {
      const current = version()
      return current ? `/v/${current}/identity-verify.js` : '/identity-verify.js'
    },
    middleware: widgetMiddleware({find: (name) => (names().includes(name) ? read(name) : null), version}),
  }
}
