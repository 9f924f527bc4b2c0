import {html} from 'hono/html'
import {demoAsset} from '../assets.js'
import {ELEMENT_EVENTS, ELEMENT_EVENT_TYPES} from '../element-events.js'
import {layout, type Markup} from '../layout.js'
import type {DemoOptions} from '../options.js'

const THEME_CSS = demoAsset('theme.css').trim()

const SETTINGS: ReadonlyArray<{name: string; value: string; required?: boolean}> = [
  {name: 'publishable-key', value: 'Your Stripe publishable key (pk_live_… or pk_test_…), from the Stripe Dashboard.', required: true},
  {name: 'endpoint', value: 'The address on your server that starts a verification. Default /create-verification-session.'},
  {name: 'return-url', value: 'Where to send the visitor after they submit, such as your own thank-you page.'},
  {name: 'status-endpoint', value: 'Your server’s status address (/verification-session), so the element can show the result.'},
  {name: 'credentials', value: 'Set to include when your server is on another domain than your page.'},
  {name: 'lang', value: 'The language of the built-in texts, when it differs from your page’s.'},
]

function codeBlock(id: string, label: string, code: string): Markup {
  return html`<div class="snippet">
  <div class="snippet-bar"><span id="${id}-label">${label}</span>
    <button type="button" class="button-secondary copy" data-copy="${id}" aria-describedby="${id}-label">Copy</button></div>
  <pre class="code" tabindex="0" aria-labelledby="${id}-label"><code id="${id}">${code}</code></pre>
</div>`
}

/** `/embed`: everything a site owner needs to paste the element into their own pages. */
export function embedPage(options: DemoOptions, origin: string): Markup {
  const snippet = [
    ...(options.stripeJsUrl
      ? ['<!-- Emulator mode only: remove this line when you use real Stripe keys -->', `<script src="${options.stripeJsUrl}"></script>`]
      : []),
    `<script type="module" src="${origin}/identity-verify.js"></script>`,
    '<identity-verify',
    `  publishable-key="${options.publishableKey}"`,
    '  endpoint="/create-verification-session"',
    '  return-url="/confirmation">',
    '  Verify my identity',
    '</identity-verify>',
  ].join('\n')
  const listener = [
    '<script type="module">',
    "  document.addEventListener('identity-verify-submitted', (event) => {",
    "    console.log('Submitted', event.detail.sessionId)",
    '  })',
    '</script>',
  ].join('\n')

  const body = html`
<section class="hero" aria-labelledby="embed-title">
  <p class="eyebrow">For site owners</p>
  <h1 id="embed-title">Add identity verification to your site</h1>
  <p class="lede">Paste one snippet into any page builder that accepts HTML. Visitors get a button that opens
  Stripe’s verification window; you get the result on your server.</p>
</section>

<section class="card" aria-labelledby="paste-title">
  <h2 id="paste-title">1. Paste the snippet</h2>
  <p>Put it where the button should appear. The text between the tags is the button’s label.</p>
  ${codeBlock('snippet-embed', 'HTML snippet', snippet)}
</section>

<section class="card" aria-labelledby="settings-title">
  <h2 id="settings-title">2. Set it up</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="settings-title">
  <table>
    <thead><tr><th scope="col">Attribute</th><th scope="col">What to put</th></tr></thead>
    <tbody>
      ${SETTINGS.map(
        (s) => html`<tr><th scope="row"><code>${s.name}</code>${s.required ? html` <span class="badge">required</span>` : ''}</th><td>${s.value}</td></tr>`,
      )}
    </tbody>
  </table>
  </div>
  <p>Your server needs the two routes this site uses: <code>POST /create-verification-session</code> and
  <code>GET /verification-session</code>, plus a Stripe webhook at <code>/webhook</code>. The README explains how to run
  them with your Stripe keys.</p>
</section>

<section class="card" aria-labelledby="events-title">
  <h2 id="events-title">3. React to what happens (optional)</h2>
  <p>The element tells your page what the visitor does through DOM events. They bubble, so you can listen on
  <code>document</code>.</p>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="events-title">
  <table>
    <thead><tr><th scope="col">Event</th><th scope="col">When</th><th scope="col"><code>event.detail</code></th></tr></thead>
    <tbody>
      ${ELEMENT_EVENT_TYPES.map(
        (type) => html`<tr><th scope="row"><code>${type}</code></th><td>${ELEMENT_EVENTS[type].when}</td><td><code>${ELEMENT_EVENTS[type].detail}</code></td></tr>`,
      )}
    </tbody>
  </table>
  </div>
  ${codeBlock('snippet-listen', 'Listening to an event', listener)}
</section>

<section class="card" aria-labelledby="style-title">
  <h2 id="style-title">4. Match your brand (optional)</h2>
  <p>Set these custom properties on the element, or style its <code>button</code> and <code>message</code> parts.</p>
  ${codeBlock('snippet-style', 'CSS', THEME_CSS)}
</section>

<p class="sr-only" id="copy-status" role="status" aria-live="polite"></p>`
  return layout(options, {name: 'embed', title: 'Add it to your site', body, scripts: ['/demo/copy-button.js']})
}
