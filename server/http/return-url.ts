import type {Context} from 'hono'
import {ApiError} from './api-error.js'
import type {ServerOrigins} from './origins.js'
import {RETURN_URL_HEADER} from '../../protocol/wire.js'

/** The longest page to return to the server takes, in characters. */
export const MAX_RETURN_URL_LENGTH = 2048

/**
 * The page Stripe's hosted page is to send the user back to, when a create asks for the hosted flow
 * (the `Identity-Verify-Return-Url` header); undefined when it asks for the modal. Only a page on the
 * server's own origin or an allowed one, compared whole (scheme, host and port), is accepted:
 * anything else answers 400 `return_url_not_allowed`, so that nobody can use the server to send a
 * user from Stripe to a site of their choosing. A page longer than 2,048 characters answers 400
 * `return_url_too_long`.
 */
export function hostedReturnUrl(c: Context, {own, allowed}: ServerOrigins): string | undefined {
  const asked = c.req.header(RETURN_URL_HEADER)
  if (asked === undefined) return undefined
  if (asked.length > MAX_RETURN_URL_LENGTH) throw tooLong()
  let url: URL
  try {
    url = new URL(asked)
  } catch {
    throw notAllowed()
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (url.origin !== own && !allowed.has(url.origin))) throw notAllowed()
  // Parsing may lengthen it (characters escaped), and this spelling is the one Stripe keeps.
  if (url.href.length > MAX_RETURN_URL_LENGTH) throw tooLong()
  return url.href
}

function tooLong(): ApiError {
  return new ApiError(400, `The page to return to is longer than ${MAX_RETURN_URL_LENGTH} characters`, 'return_url_too_long')
}

function notAllowed(): ApiError {
  return new ApiError(400, 'The page to return to is not on this server’s origin or an allowed one', 'return_url_not_allowed')
}
