import {html} from 'hono/html'
import {layout, type Markup} from '../layout.js'
import type {DemoOptions} from '../options.js'
import {ELEMENT_EVENT_TYPES} from '../element-events.js'

/** `/`: a seller's onboarding, with the element, a log of its events and a restyled copy of it (`themeCss`, shown as it styles it). */
export function homePage(options: DemoOptions, themeCss: string): Markup {
  const body = html`
<section class="hero" aria-labelledby="hero-title">
  <p class="eyebrow">Sell on Stallholder</p>
  <h1 id="hero-title">Verify your identity before your first payout</h1>
  <p class="lede">Stallholder pays makers every week. Before we send money to a new shop, the law asks us to
  confirm who owns it. It takes about two minutes with a photo ID.</p>
</section>

<div class="columns">
  <section class="card onboarding" aria-labelledby="steps-title">
    <h2 id="steps-title">Finish setting up <span class="shop-name">Birch &amp; Clay Ceramics</span></h2>
    <ol class="steps">
      <li class="step done"><span class="step-title">Shop details</span> <span class="step-note">Done</span></li>
      <li class="step done"><span class="step-title">Bank account for payouts</span> <span class="step-note">Done</span></li>
      <li class="step current" aria-current="step">
        <span class="step-title">Verify your identity</span>
        <p>You'll take a photo of a passport, ID card or driving licence. Stripe checks it and tells us only
        whether it's you; we never see or store the document.</p>
        <identity-verify
          id="verify"
          publishable-key="${options.publishableKey}"
          endpoint="/create-verification-session"
          status-endpoint="/verification-session"
          return-url="/confirmation">Verify my identity</identity-verify>
      </li>
    </ol>
  </section>

  <section class="card event-log" aria-labelledby="log-title">
    <div class="card-heading">
      <h2 id="log-title">Events</h2>
      <button type="button" class="button-secondary" data-clear-log>Clear</button>
    </div>
    <p class="hint">Every DOM event the elements on this page fire, with its <code>detail</code>.</p>
    <ol id="event-log" class="log" data-events="${ELEMENT_EVENT_TYPES.join(' ')}" tabindex="0" aria-labelledby="log-title">
      <li class="log-empty">Nothing yet: click “Verify my identity”.</li>
    </ol>
    <p class="sr-only" id="event-summary" role="status" aria-live="polite"></p>
  </section>
</div>

<section class="card theming" aria-labelledby="theme-title">
  <h2 id="theme-title">Made to match your brand</h2>
  <p>The same element, restyled with four custom properties and its <code>button</code> part. Without
  <code>return-url</code> it stays on the page, shows its own confirmation and follows the status the server
  confirms.</p>
  <div class="theming-demo">
    <div class="theming-preview">
      <identity-verify
        class="themed"
        publishable-key="${options.publishableKey}"
        endpoint="/create-verification-session"
        status-endpoint="/verification-session">Start verification</identity-verify>
    </div>
    <pre class="code" tabindex="0"><code>${themeCss}</code></pre>
  </div>
</section>`
  return layout(options, {name: 'home', title: 'Verify your identity', body, scripts: ['/demo/event-log.js']})
}
