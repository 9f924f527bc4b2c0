/**
 * Warnings for the person setting a page up, on the console, in plain English, each cause at most
 * once a page. A module of its own, which the element loads only when one is due, so that pages that
 * are set up right never download these sentences. None of them holds a client secret.
 */

/** What can be wrong with a page's setup. */
export type SetupProblem = 'publishable-key' | 'endpoint' | 'origin' | 'status-endpoint'

const warned = new Set<SetupProblem>()

/**
 * Warns of `problem`, unless the page was warned of it already. `answer` is the server's answer that
 * showed it (for `publishable-key`: none; the key, which is not printed, tells a secret key apart).
 */
export function warn(problem: SetupProblem, answer?: Response, key?: string): void {
  if (warned.has(problem)) return
  warned.add(problem)
  console.warn(`identity-verify: ${sentence(problem, answer, key)}`)
}

function sentence(problem: SetupProblem, answer?: Response, key = ''): string {
  const type = answer?.headers.get('content-type') ?? ''
  switch (problem) {
    case 'publishable-key':
      return (
        `the publishable-key attribute is ${key ? 'not a Stripe publishable key' : 'missing'}.` +
        ' Set it to your Stripe publishable key, which looks like pk_test_… (test mode) or pk_live_… (live mode).' +
        (/^(sk|rk)_/.test(key)
          ? ' What the page has looks like a secret key: take it off the page and roll it in your Stripe Dashboard, since anyone who opens the page can read it.'
          : '')
      )
    case 'endpoint':
      return (
        `the endpoint ${answer?.url} answered ${/html/.test(type) ? 'HTML' : /json/.test(type) ? 'JSON without a client_secret' : `something other than JSON (${type || 'no content type'})`}` +
        ` with HTTP ${answer?.status}, not {"client_secret": "…"}.` +
        " Set the endpoint attribute to your identity-verify server's /create-verification-session (its full URL for a server on another site)."
      )
    case 'origin':
      return (
        `the server at ${answer && new URL(answer.url).origin} refused this page's origin, ${location.origin}.` +
        ` Add ${location.origin} to ALLOWED_ORIGINS in the server's environment (npm start), or to allowedOrigins of createApp where your app mounts it.`
      )
    case 'status-endpoint':
      return (
        `the status-endpoint ${answer?.url} answered 404: the server's status route answers 204 when there is nothing to show, never 404.` +
        " Set the status-endpoint attribute to your identity-verify server's /verification-session (its full URL for a server on another site)."
      )
  }
}
