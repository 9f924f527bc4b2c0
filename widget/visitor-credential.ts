/**
 * The anonymous visitor credential that a server hands a page in the `Identity-Verify-Visitor` header:
 * on another site, where the server's cookie would be a blocked third-party one, it is what tells the
 * server who the visitor is. Kept in the page's localStorage per server origin (in memory where storage
 * is blocked) and sent back to that server. It says who the visitor is, nothing about any session:
 * the client secret is never kept anywhere.
 */
import {VISITOR_CREDENTIAL_HEADER} from '../protocol/visitor-header.js'

// For the page's lifetime, where storage is blocked; storage, which other tabs share, comes first.
const kept: Record<string, string> = {}

const keyOf = (url: string) => `identity-verify-visitor:${new URL(url).origin}`

/** Adds the credential kept for the request's server, if there is one, to the request. */
export function withVisitor(request: Request): Request {
  const key = keyOf(request.url)
  let credential = kept[key]
  try {
    credential = localStorage.getItem(key) ?? credential
  } catch {
    // Storage blocked (a sandboxed frame, the user's settings): what is in memory serves.
  }
  if (credential) request.headers.set(VISITOR_CREDENTIAL_HEADER, credential)
  return request
}

/** Keeps the credential an answer from the request's server carries, if any. */
export function keepVisitor(request: Request, response: Response): void {
  const key = keyOf(request.url)
  const credential = response.headers.get(VISITOR_CREDENTIAL_HEADER)
  if (!credential) return
  kept[key] = credential
  try {
    localStorage.setItem(key, credential)
  } catch {
    // Kept in memory only, for this page.
  }
}
