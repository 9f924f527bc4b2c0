// Hand-written rather than hono/body-limit, which trusts a declared Content-Length: this also counts the bytes read.
import type {Context} from 'hono'
import {ApiError} from './api-error.js'

/**
 * The request body as text, refused with 413 once it passes `maxBytes`. Both the declared
 * `Content-Length` and the bytes actually received count, so a body cannot lie its way past the limit.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? 0)
  if (declared > maxBytes) throw tooLarge(maxBytes)
  // A declared length within the limit is all an HTTP server lets the body be: read it whole, which
  // on Node skips building a web stream for it; what was read still counts, for callers in-process.
  if (declared > 0) {
    const bytes = await c.req.arrayBuffer()
    if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes)
    return Buffer.from(bytes).toString('utf8')
  }
  const body = c.req.raw.body
  if (!body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `The request body is larger than ${maxBytes} bytes`, 'body_too_large')
}
