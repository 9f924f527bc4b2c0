import {widgetMiddleware, type ServedFile, type WidgetFiles} from '../site/widget-answer.js'

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
 * The element's files held in memory (`runtimes/widget-build.js`, packed from `dist/`), served as
 * `npm start` serves them from disk: `Access-Control-Allow-Origin: *`, `Cross-Origin-Resource-Policy:
 * cross-origin`, a JavaScript content type and an `ETag`; the versioned path is cached for a year.
 */
export async function widgetFiles(texts: Readonly<Record<string, string>>): Promise<WidgetFiles> {
  const encoder = new TextEncoder()
  const files = new Map<string, ServedFile>()
  for (const name of Object.keys(texts).sort()) {
    const body = encoder.encode(texts[name])
    files.set(name, {body, etag: `"${base64url(await sha256(body)).slice(0, 22)}"`})
  }
  const listing = [...files].map(([name, file]) => `${name}\n${file.etag}\n`).join('')
  const version = files.size ? hex(await sha256(encoder.encode(listing))).slice(0, 12) : null

  return {
    scriptPath: () => (version ? `/v/${version}/identity-verify.js` : '/identity-verify.js'),
    middleware: widgetMiddleware({find: (name) => files.get(name) ?? null, version: () => version}),
  }
}
