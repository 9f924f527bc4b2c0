import {Hono} from 'hono'

/** What the demo pages need to know from the server that serves them. */
export interface DemoOptions {
  /** Stripe publishable key given to the element. */
  publishableKey: string
  /** In emulator mode, the emulator's Stripe.js double (`http://localhost:12111/stripe.js`); null with real keys. */
  stripeJsUrl: string | null
  /** In emulator mode, the emulator's dashboard URL; null with real keys. */
  dashboardUrl: string | null
}

/** The demo site's pages. (Placeholder: the full demo replaces it.) */
export function demoRoutes(options: DemoOptions): Hono {
  const app = new Hono()
  app.get('/', (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>identity-verify demo</title>
${options.stripeJsUrl ? `<script src="${options.stripeJsUrl}"></script>` : ''}
<script type="module" src="/identity-verify.js"></script></head>
<body><identity-verify publishable-key="${options.publishableKey}" endpoint="/create-verification-session" status-endpoint="/verification-session">Verify my identity</identity-verify></body></html>`),
  )
  return app
}
