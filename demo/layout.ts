import {html} from 'hono/html'
import type {DemoOptions} from './options.js'

/** Markup produced by `html`: escaped at every interpolation, safe to nest. */
export type Markup = ReturnType<typeof html>

/** Which page of the demo is showing, for the navigation's `aria-current`. */
export type DemoPageName = 'home' | 'confirmation' | 'embed'

const NAV: ReadonlyArray<{page: DemoPageName; href: string; label: string}> = [
  {page: 'home', href: '/', label: 'Seller onboarding'},
  {page: 'confirmation', href: '/confirmation', label: 'Verification status'},
  {page: 'embed', href: '/embed', label: 'Add it to your site'},
]

/** The shell every demo page shares: head, emulator banner, navigation, footer. */
export function layout(options: DemoOptions, page: {name: DemoPageName; title: string; body: Markup; scripts?: readonly string[]}): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Stallholder</title>
<meta name="description" content="A sample marketplace that verifies sellers' identity with the identity-verify element.">
<link rel="stylesheet" href="/demo/demo.css">
<link rel="stylesheet" href="/demo/theme.css">
${
  // The emulator's Stripe.js double defines window.Stripe before the element asks for it, so the
  // element's own loader never reaches for js.stripe.com. With real keys the element loads Stripe.js.
  options.stripeJsUrl ? html`<script src="${options.stripeJsUrl}"></script>` : ''
}
<script type="module" src="/identity-verify.js"></script>
${(page.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
${
  options.dashboardUrl
    ? html`<div class="banner" role="note">
  <strong>Emulator mode — test cases only.</strong>
  No real documents are checked; Stripe is replaced by a local emulator.
  <a href="${options.dashboardUrl}">Open the emulator dashboard</a>
</div>`
    : ''
}
<header class="site-header">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">S</span> Stallholder</a>
  <nav aria-label="Main">
    <ul>
      ${NAV.map((item) => html`<li><a href="${item.href}"${item.page === page.name ? html` aria-current="page"` : ''}>${item.label}</a></li>`)}
    </ul>
  </nav>
</header>
<main id="main">
${page.body}
</main>
<footer class="site-footer">
  <p>Stallholder is a sample marketplace that shows <a href="/embed">the identity-verify element</a> at work.
  Identity checks are run by Stripe Identity; this site never sees a document.</p>
</footer>
</body>
</html>`
}
