import {randomBytes} from 'node:crypto'
import type {Context, MiddlewareHandler} from 'hono'
import {getSignedCookie, setSignedCookie} from 'hono/cookie'

/** Options of the anonymous visitor identity. */
export interface VisitorIdentityOptions {
  /** The key that signs the cookie (HMAC-SHA256); at least 32 characters. */
  secret: string
  /** The cookie's name (default `identity_verify_visitor`). */
  cookieName?: string
  /** How long the cookie lives, in seconds (default 30 days). */
  maxAgeSeconds?: number
}

/** An anonymous visitor identity: the middleware hands out the cookie, `authenticate` reads it. */
export interface VisitorIdentity {
  /** Sets the visitor cookie on HTML pages answered to GET requests when the visitor has none. */
  middleware: MiddlewareHandler
  /** The visitor's id from a correctly signed cookie, or null. */
  authenticate(c: Context): Promise<string | null>
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}

/**
 * The standalone server's users: each browser gets a random id in an HttpOnly, SameSite=Lax cookie
 * signed with the server's secret, so a visitor cannot claim another's sessions by editing it.
 */
export function visitorIdentity({secret, cookieName = 'identity_verify_visitor', maxAgeSeconds = 30 * 24 * 60 * 60}: VisitorIdentityOptions): VisitorIdentity {
  if (secret.length < 32) throw new Error('The visitor cookie secret must be at least 32 characters long')
  const read = async (c: Context) => {
    const value = await getSignedCookie(c, secret, cookieName)
    return typeof value === 'string' && /^v_[A-Za-z0-9_-]{22}$/.test(value) ? value : null
  }
  return {
    authenticate: read,
    middleware: async (c, next) => {
      await next()
      if (c.req.method !== 'GET' || !c.res.headers.get('content-type')?.startsWith('text/html')) return
      if (await read(c)) return
      const id = `v_${randomBytes(16).toString('base64url')}`
      await setSignedCookie(c, cookieName, id, secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c),
        maxAge: maxAgeSeconds,
      })
    },
  }
}
