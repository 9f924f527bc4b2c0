/**
 * What the server's answer to the POST that makes a session means, read the same way for the click
 * and for a prefetch ahead of it. Part of the module the element loads on the first sign of intent,
 * which the click awaits before any request.
 */
import {SESSION_CONFLICT_CODES, type SessionConflictCode} from '../protocol/wire.js'

export {sessionIdOf} from '../protocol/wire.js'

/** As much of an answer's JSON body as tells what it is. */
interface Body {
  client_secret?: unknown
  url?: unknown
  session?: unknown
  error?: {code?: unknown}
}

/**
 * Whether `response` (with its JSON `body`) holds the session for the flow, a client secret or, for
 * the hosted page (`hosted`), its URL; or the session that answers for the user when the server makes
 * none (409: verified, or being checked). `undefined` when it is no answer of the server at all (a
 * page where the server should be, or JSON that is not the server's): the URL is wrong.
 */
export function usable(response: Response, body: Body | undefined, hosted: boolean): boolean | undefined {
  if (response.ok && typeof (hosted ? body?.url : body?.client_secret) === 'string') return true
  if (response.status === 409 && SESSION_CONFLICT_CODES.includes(body?.error?.code as SessionConflictCode) && body!.session) return true
  return response.ok || !body ? undefined : false
}
