import type {Context, MiddlewareHandler} from 'hono'
import {getSignedCookie, setSignedCookie} from 'hono/cookie'
import {serverOrigins} from '../http/origins.js'
import {VISITOR_CREDENTIAL_HEADER} from '../../protocol/wire.js'

/** Options of the anonymous visitor identity. */
export interface VisitorIdentityOptions {
  /** The key that signs the cookie and the credential (HMAC-SHA256); at least 32 characters. */
  secret: string
  /**
   * The server's own origin (`https://verify.example.com`), as given to `createApp`: the page a
   * same-origin request comes from, and whether the cookie is `Secure` (an https origin). Never read
   * from a request's `Host` or `X-Forwarded-*` headers, which any client can write.
   */
  publicUrl: string
  /** The cookie's name (default `identity_verify_visitor`). */
  cookieName?: string
  /** How long the cookie and a credential live, in seconds (default 30 days). */
  maxAgeSeconds?: number
  /** The clock, ms since the epoch; tests move it. */
  now?: () => number
}

/**
 * An anonymous visitor identity: a signed cookie for the server's own pages, and a signed credential
 * in the `Identity-Verify-Visitor` header for pages on other sites, where the cookie would be a
 * third-party cookie that browsers block.
 */
export interface VisitorIdentity {
  /** Sets the visitor cookie on HTML pages answered to GET requests when the visitor has none. */
  middleware: MiddlewareHandler
  /**
   * For the API routes: a POST from a browser page whose visitor has neither cookie nor credential
   * gets a new visitor id, and a successful answer carries its credential; a credential past half its
   * life is renewed.
   */
  credentials: MiddlewareHandler
  /** The visitor's id from a correctly signed cookie or credential (or one just issued), or null. */
  authenticate(c: Context): Promise<string | null>
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The visitor `credentials` found (or issued) for this request, so `authenticate` reads nothing twice. */
    identityVerifyVisitor?: string
  }
}

const VISITOR_ID = /^v_[A-Za-z0-9_-]{22}$/
const encoder = new TextEncoder()
const BASE64URL = /^[A-Za-z0-9_-]*$/

/** Bytes in base64url without padding (web standards only, so it runs on every runtime). */
function toBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** The bytes of unpadded base64url text, or null when it is not that. */
function fromBase64url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

function newVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `v_${toBase64url(bytes)}`
}

/**
 * The standalone server's users: each browser gets a random id, signed with the server's secret so a
 * visitor cannot claim another's sessions by editing it. On the server's own pages it travels in an
 * HttpOnly, SameSite=Lax cookie; on another site's page, in a credential the element keeps in that
 * page's storage, which names the page's origin and expires, so it works nowhere else and not forever.
 */
export function visitorIdentity({
  secret,
  publicUrl,
  cookieName = 'identity_verify_visitor',
  maxAgeSeconds = 30 * 24 * 60 * 60,
  now = Date.now,
}: VisitorIdentityOptions): VisitorIdentity {
  if (secret.length < 32) throw new Error('The visitor cookie secret must be at least 32 characters long')
  const {own} = serverOrigins('visitorIdentity', publicUrl)
  // Behind a proxy that ends TLS the request itself arrives over http: the configured origin says.
  const secure = own.startsWith('https:')
  /** The origin of the page a request comes from: its `Origin`, or the server's own for a same-origin GET. */
  const pageOrigin = (c: Context) => c.req.header('origin') ?? own
  const key = crypto.subtle.importKey('raw', encoder.encode(secret), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign', 'verify'])
  // A credential is `<visitor id>.<expiry, Unix seconds>.<page origin, base64url>.<HMAC, base64url>`.
  const signed = (id: string, expires: number, origin: string) => encoder.encode(`visitor-credential\n${id}\n${expires}\n${origin}`)

  async function issueCredential(id: string, origin: string): Promise<string> {
    const expires = Math.floor(now() / 1000) + maxAgeSeconds
    const signature = await crypto.subtle.sign('HMAC', await key, signed(id, expires, origin))
    return [id, expires, toBase64url(encoder.encode(origin)), toBase64url(new Uint8Array(signature))].join('.')
  }

  /** The credential's visitor and expiry when it is genuine, unexpired and presented by the page it was issued to. */
  async function readCredential(c: Context): Promise<{id: string; expires: number} | null> {
    const parts = c.req.header(VISITOR_CREDENTIAL_HEADER)?.split('.')
    if (parts?.length !== 4) return null
    const [id, expiresText, origin, signature] = parts as [string, string, string, string]
    const expires = Number(expiresText)
    if (!VISITOR_ID.test(id) || !/^\d{1,12}$/.test(expiresText) || expires <= now() / 1000) return null
    // Only the one spelling issued: base64url's last character has spare bits a decoder ignores, so
    // another spelling of the same bytes would be an edited credential that still passed.
    const [originBytes, signatureBytes] = [fromBase64url(origin), fromBase64url(signature)]
    if (!originBytes || !signatureBytes || toBase64url(originBytes) !== origin || toBase64url(signatureBytes) !== signature) return null
    if (new TextDecoder().decode(originBytes) !== pageOrigin(c)) return null
    const genuine = await crypto.subtle.verify('HMAC', await key, signatureBytes as Uint8Array<ArrayBuffer>, signed(id, expires, pageOrigin(c)))
    return genuine ? {id, expires} : null
  }

  const readCookie = async (c: Context) => {
    const value = await getSignedCookie(c, secret, cookieName)
    return typeof value === 'string' && VISITOR_ID.test(value) ? value : null
  }

  return {
    async authenticate(c) {
      return c.get('identityVerifyVisitor') ?? (await readCookie(c)) ?? (await readCredential(c))?.id ?? null
    },
    middleware: async (c, next) => {
      await next()
      if (c.req.method !== 'GET' || !c.res.headers.get('content-type')?.startsWith('text/html')) return
      if (await readCookie(c)) return
      await setSignedCookie(c, cookieName, newVisitorId(), secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        maxAge: maxAgeSeconds,
      })
    },
    credentials: async (c, next) => {
      let give: string | null = null
      let visitor = await readCookie(c)
      if (!visitor) {
        const credential = await readCredential(c)
        visitor = credential?.id ?? null
        if (credential && credential.expires - now() / 1000 < maxAgeSeconds / 2) give = credential.id
        // Browsers send `Origin` with every POST; a script without one (curl) gets no identity for free.
        if (!credential && c.req.method === 'POST' && c.req.header('origin')) visitor = give = newVisitorId()
      }
      if (visitor) c.set('identityVerifyVisitor', visitor)
      await next()
      // Only an answer that did something hands out an identity: a refused request leaves none behind.
      if (give === null || !c.res.ok) return
      c.header(VISITOR_CREDENTIAL_HEADER, await issueCredential(give, pageOrigin(c)))
      c.header('Access-Control-Expose-Headers', VISITOR_CREDENTIAL_HEADER, {append: true})
    },
  }
}
