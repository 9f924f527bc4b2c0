import {Hono} from 'hono'
import {escapeHtml} from './dashboard.js'
import {stripeId} from './ids.js'
import type {SessionStore} from './sessions.js'
import {testCaseList, testModeHead} from './modal.js'
import {isOutcome} from './test-cases.js'

/** What a link says once its session is back in requires_input with a new one. */
const USED_LINK = 'This verification link was used already: the site has a fresh one.'

/** Where a session's hosted page is: `/start/test_…`, as Stripe's `verify.stripe.com/start/test_…`. */
const HOSTED_PATH = '/start/:token'

/**
 * Stripe's hosted verification page, emulated: each session's `url`, on the emulator's origin, shows
 * the same test cases as the modal; choosing one plays it on the session and sends the user back to
 * the session's `return_url`. The URL names the session by an opaque token, never its id or client
 * secret, so neither is left in the browser's history.
 */
export class HostedPages {
  readonly #pages = new Map<string, {id: string; returnUrl?: string}>()
  /** Each session's current page; an earlier one was used (the session left requires_input since). */
  readonly #current = new Map<string, string>()
  // The emulator's origin as its API was last reached, which the browser reaches too.
  #origin = 'http://127.0.0.1'

  /** Notes the origin a request reached the emulator at: the hosted pages' URLs are on it. */
  seen(requestUrl: string): void {
    this.#origin = new URL(requestUrl).origin
  }

  /** A session's `url`, new each time it is in `requires_input` again, whose page returns to `returnUrl` (when the session has one). */
  urlFor(id: string, returnUrl?: string): string {
    const token = stripeId('test', 32)
    this.#pages.set(token, {id, returnUrl})
    this.#current.set(id, token)
    return `${this.#origin}${HOSTED_PATH.replace(':token', token)}`
  }

  /** `GET` shows a session's page; `POST outcome=…` plays it and redirects (303) to the session's `return_url`. */
  routes(sessions: SessionStore): Hono {
    const app = new Hono()
    app.use(HOSTED_PATH, async (c, next) => {
      await next()
      c.header('Cache-Control', 'no-store')
      // The page's URL is as good as the session for whoever has it: no referrer carries it away.
      c.header('Referrer-Policy', 'no-referrer')
      // No script; the form posts here and the redirect may go to any site, so `form-action` is open.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
    })
    app.get(HOSTED_PATH, (c) => {
      const token = c.req.param('token')
      const page = this.#pages.get(token)
      if (!page) return c.html(hostedHtml('This verification link is not valid.'), 404)
      const {status} = sessions.peek(page.id)
      if (status !== 'requires_input') return c.html(hostedHtml(`This verification was submitted already (${status}).`), 410)
      if (this.#current.get(page.id) !== token) return c.html(hostedHtml(USED_LINK), 410)
      return c.html(hostedHtml())
    })
    app.post(HOSTED_PATH, async (c) => {
      const token = c.req.param('token')
      const page = this.#pages.get(token)
      if (!page) return c.html(hostedHtml('This verification link is not valid.'), 404)
      const {outcome} = await c.req.parseBody()
      if (!isOutcome(outcome)) return c.html(hostedHtml('Choose one of the test cases.'), 400)
      if (this.#current.get(page.id) !== token) return c.html(hostedHtml(USED_LINK), 409)
      // `close` leaves without submitting, as a user who goes back to the site.
      if (outcome !== 'close') {
        const result = sessions.submit(page.id, outcome)
        if ('error' in result && result.error.code === 'verification_session_unexpected_state') {
          return c.html(hostedHtml(result.error.message), 409)
        }
      }
      return page.returnUrl ? c.redirect(page.returnUrl, 303) : c.html(hostedHtml('Done: you can close this page.'))
    })
    return app
  }
}

/** The hosted page: the test cases as submit buttons of one form, or `notice` alone. */
function hostedHtml(notice?: string): string {
  return `${testModeHead(`  body { background: #f6f9fc; }
  main { max-width: 480px; margin: 48px auto; padding: 24px; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px #0a254022; }
  button { width: 100%; }`)}
</style>
</head>
<body>
  <main>
    <span class="badge">Test mode</span>
    <h1>Verify your identity</h1>
${
  notice
    ? `    <p role="status">${escapeHtml(notice)}</p>`
    : `    <p>This is the local Stripe Identity emulator's hosted verification page. Choose the outcome to simulate.</p>
    <form method="post">
${testCaseList((outcome) => `name="outcome" value="${outcome}"`)}
    </form>`
}
  </main>
</body>
</html>
`
}
