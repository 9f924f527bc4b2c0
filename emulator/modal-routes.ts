import {Hono} from 'hono'
import {MODAL_CSP, MODAL_ROUTES, modalHtml, modalScript} from './modal.js'
import type {SessionStore} from './sessions.js'
import {MODAL_PATH, stripeJsSource} from './stripe-js.js'
import {STRIPE_JS_DOUBLE_PATH} from '../protocol/wire.js'

/** `/stripe.js` (the double) and the modal page its iframe shows. */
export function modalRoutes(sessions: SessionStore): Hono {
  const app = new Hono()

  app.get(STRIPE_JS_DOUBLE_PATH, (c) => {
    // Loaded by pages on other origins (the demo on :4242): readable cross-origin, never cached stale.
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('Cache-Control', 'no-cache')
    c.header('X-Content-Type-Options', 'nosniff')
    return c.body(stripeJsSource(new URL(c.req.url).origin), 200, {'Content-Type': 'text/javascript; charset=utf-8'})
  })

  app.get(MODAL_PATH, (c) => {
    c.header('Content-Security-Policy', MODAL_CSP)
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
    return c.html(modalHtml())
  })

  app.get(MODAL_ROUTES.script, (c) => {
    c.header('Cache-Control', 'no-cache')
    c.header('X-Content-Type-Options', 'nosniff')
    return c.body(modalScript(), 200, {'Content-Type': 'text/javascript; charset=utf-8'})
  })

  // The modal checks the client secret it received before showing the test cases. A refused secret
  // is an answer the modal relays to the page, not a failed request: 200 either way.
  app.post(MODAL_ROUTES.checkSecret, async (c) => {
    c.header('Cache-Control', 'no-store')
    const body = (await c.req.json().catch(() => null)) as {client_secret?: unknown} | null
    const checked = sessions.checkClientSecret(body?.client_secret)
    return c.json('error' in checked ? checked.error : {id: checked.id})
  })

  return app
}
