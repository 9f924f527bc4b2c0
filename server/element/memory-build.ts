import type {ElementBuild, ServedFile} from './answer.js'

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

/**
 * The element's build held in memory (the runtimes without a disk to read import it packed from
 * `dist/`), with the same ETags and version as the build read from disk: web standards only.
 */
export async function memoryBuild(texts: Readonly<Record<string, string>>): Promise<ElementBuild> {
  const encoder = new TextEncoder()
  const files = new Map<string, ServedFile>()
  for (const name of Object.keys(texts).sort()) {
    const body = encoder.encode(texts[name])
    files.set(name, {body, etag: `"${base64url(await sha256(body)).slice(0, 22)}"`})
  }
  const listing = [...files].map(([name, file]) => `${name}\n${file.etag}\n`).join('')
  const version = files.size ? hex(await sha256(encoder.encode(listing))).slice(0, 12) : null
  return {find: (name) => files.get(name) ?? null, version: () => version}
}
