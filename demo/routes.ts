import {Hono} from 'hono'
import {DEMO_ASSETS, type DemoAsset, type DemoBuild} from './assets.js'
import {confirmationPage} from './pages/confirmation.js'
import {embedPage} from './pages/embed.js'
import {homePage} from './pages/home.js'
import type {DemoOptions} from './options.js'

export type {DemoOptions} from './options.js'
export type {DemoBuild} from './assets.js'

// Where real Stripe.js comes from and talks to (Stripe's documented Content Security Policy for
// Stripe.js, plus verify.stripe.com, which hosts the Identity flow inside the modal).
const STRIPE_SOURCES = {
  script: ['https://js.stripe.com', 'https://*.js.stripe.com'],
  frame: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com', 'https://verify.stripe.com'],
  connect: ['https://api.stripe.com'],
}

/** The Content-Security-Policy of the demo pages: no inline script or style, Stripe (or the emulator) only. */
export function demoContentSecurityPolicy(options: Pick<DemoOptions, 'stripeJsUrl'>): string {
  const emulator = options.stripeJsUrl ? [new URL(options.stripeJsUrl).origin] : null
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(emulator ?? STRIPE_SOURCES.script)],
    'frame-src': emulator ?? STRIPE_SOURCES.frame,
    'connect-src': ["'self'", ...(emulator ? [] : STRIPE_SOURCES.connect)],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ')
}

/**
 * The demo site: `/` (a seller's onboarding), `/confirmation`, `/embed`, and their files under `/demo/`,
 * all from memory (`build`), so every runtime serves them with the same code.
 */
export function demoRoutes(options: DemoOptions, build: DemoBuild): Hono {
  const app = new Hono()
  // Set on the pages themselves, not as middleware, so nothing leaks onto the routes of the app that mounts these.
  const page = {
    'Content-Security-Policy': demoContentSecurityPolicy(options),
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  }

  // The theme is also shown on the pages, so what you read is what styles them.
  const theme = build.assets['theme.css'].trim()
  app.get('/', (c) => c.html(homePage(options, theme), 200, page))
  // The status shown here is read live from the server, so it must never come from a cache.
  app.get('/confirmation', (c) => c.html(confirmationPage(options), 200, {...page, 'Cache-Control': 'no-store'}))
  app.get('/embed', (c) => c.html(embedPage(options, theme, build.repositoryUrl), 200, page))

  for (const name of Object.keys(DEMO_ASSETS) as DemoAsset[]) {
    const headers = {'Content-Type': DEMO_ASSETS[name], 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff'}
    app.get(`/demo/${name}`, (c) => c.body(build.assets[name], 200, headers))
  }
  return app
}
