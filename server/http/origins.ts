/**
 * The origins the server answers from a browser: its own, given by configuration, and the allowed
 * ones. The server's own origin is never read from a request: `Host`, an absolute-form request
 * target and `X-Forwarded-*` are the client's to write, so anyone could name a site of theirs there.
 */
export interface ServerOrigins {
  /** The server's own origin, `https://verify.example.com`. */
  own: string
  /** The origins of other sites allowed to call it with credentials. */
  allowed: ReadonlySet<string>
}

/**
 * Why `text` is not a server's public URL (an http or https origin, optionally followed by `/`), in a
 * few words to follow its name ("has a path"); null when it is one.
 */
export function publicUrlProblem(text: string): string | null {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'is not a URL'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'is not an http or https URL'
  if (url.username || url.password) return 'has a user name or password'
  if (url.pathname !== '/') return 'has a path'
  if (url.search || text.includes('?')) return 'has a query'
  if (url.hash || text.includes('#')) return 'has a fragment'
  return null
}

/**
 * The origins of a server at `publicUrl` that allows `allowedOrigins`; an Error naming `owner`'s
 * option when `publicUrl` is missing or no origin.
 */
export function serverOrigins(owner: string, publicUrl: string, allowedOrigins: readonly string[] = []): ServerOrigins {
  const problem = typeof publicUrl === 'string' ? publicUrlProblem(publicUrl) : 'is missing'
  if (problem) {
    throw new Error(
      `${owner}'s publicUrl ${problem}: give the server's own origin, such as https://verify.example.com (scheme, host and port, nothing after); ` +
        'it is never taken from a request, whose Host any client can write',
    )
  }
  return {own: new URL(publicUrl).origin, allowed: new Set(allowedOrigins.map((origin) => new URL(origin).origin))}
}

/**
 * The origin of a site's address as typed (`https://Shop.example:443/about` gives
 * `https://shop.example`), compared as the server compares a request's `Origin`: scheme, host and
 * port. A path, query or fragment is dropped, since a site owner often pastes a page's address;
 * `{problem}` says in a sentence why `text` names no http or https origin.
 */
export function originOfAddress(text: string | undefined): {origin: string} | {problem: string} {
  const example = 'such as https://shop.example'
  if (!text?.trim()) return {problem: `Give the origin to check in the origin parameter, ${example}.`}
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return {problem: `"${text}" is not a web address: give it with its scheme, ${example}.`}
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return {problem: `"${text}" is not an http or https address: give one ${example}.`}
  if (url.username || url.password) return {problem: `"${text}" has a user name or password: give the site's address alone, ${example}.`}
  return {origin: url.origin}
}

/** Whether pages of `origin` (as `originOfAddress` gives it) may call a server with these origins. */
export function acceptsOrigin({own, allowed}: ServerOrigins, origin: string): boolean {
  return origin === own || allowed.has(origin)
}
