import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import type {ElementBuild, ServedFile} from './answer.js'

interface BuiltFile extends ServedFile {
  mtimeMs: number
}

/**
 * The element's build in a `dist/` folder, read again when a file changes on disk (a rebuild while the
 * server runs is served at once). The version is a digest of every file in it, so a change to any
 * language changes it too.
 */
export function diskBuild(dist: string): ElementBuild {
  const cache = new Map<string, BuiltFile>()

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

  return {
    find: (name) => (names().includes(name) ? read(name) : null),
    version() {
      const hash = createHash('sha256')
      let any = false
      for (const name of names()) {
        const file = read(name)
        if (!file) continue
        any = true
        hash.update(`${name}\n${file.etag}\n`)
      }
      return any ? hash.digest('hex').slice(0, 12) : null
    },
  }
}
