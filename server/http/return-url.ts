import type {Context} from 'hono'
import {ApiError} from './api-error.js'
import type {ServerOrigins} from './origins.js'
import {RETURN_URL_HEADER} from '../../protocol/wire.js'

/**
 * The page Stripe's hosted page is to send the user back to, when a create asks for the hosted flow
 * (the `Identity-Verify-Return-Url` header); undefined when it asks for the modal. Only a page on the
 * server's own origin or an allowed one, compared whole (scheme, host and port), is accepted:
 * anything else answers 400 `return_url_not_allowed`, so that nobody can use the server to send a
 * user from Stripe to a site of their choosing.
 */
export function hostedReturnUrl(c: Context, {own, allowed}: ServerOrigins): string | undefined {
  const asked = c.req.header(RETURN_URL_HEADER)
  if (asked === undefined) return undefined
  let url: URL
  try {
    url = new URL(asked)
  } catch {
    throw notAllowed()
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (url.origin !== own && !allowed.has(url.origin))) throw notAllowed()
  return url.href
}

function notAllowed(): ApiError {
  return new ApiError(400, 'The page to return to is not on this server’s origin or an allowed one', 'return_url_not_allowed')
}
