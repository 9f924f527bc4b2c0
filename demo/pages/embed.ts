import {html} from 'hono/html'
import {CREATE_SESSION_PATH, SESSION_STATUS_PATH, SETUP_ORIGIN_PATH} from '../../protocol/wire.js'
import {DEFAULT_ACCENT, DEFAULT_LABEL, LANGUAGES, accentReadability, embedSnippet, type SnippetServer} from '../assets/embed-snippet.js'
import {ELEMENT_EVENTS, ELEMENT_EVENT_TYPES} from '../element-events.js'
import {layout, type Markup} from '../layout.js'
import type {DemoOptions} from '../options.js'

const SETTINGS: ReadonlyArray<{name: string; value: string; required?: boolean}> = [
  {name: 'publishable-key', value: 'Your Stripe publishable key (pk_live_… or pk_test_…). The builder fills in this server’s.', required: true},
  {
    name: 'endpoint',
    value:
      'The full address of the server’s route that starts a verification, ending in /create-verification-session. On a page of another site it must be a full address, or the button would call your own site.',
    required: true,
  },
  {
    name: 'status-endpoint',
    value:
      'The full address of the server’s status route, ending in /verification-session, so the element shows the result the server confirmed, and recognises a visitor who comes back.',
  },
  {name: 'return-url', value: 'Where to send the visitor after they submit, such as your own thank-you page. Without it the visitor stays on the page, which shows the status.'},
  {name: 'lang', value: `The language of the element’s own texts: ${LANGUAGES.map(([lang]) => lang).join(', ')}. Without it, your page’s language.`},
]

/** A block of code with a button named by what it copies ("Copy the snippet"): `what` is "the snippet". */
function codeBlock(id: string, label: string, code: string, what: string): Markup {
  return html`<div class="snippet">
  <div class="snippet-bar"><span id="${id}-label">${label}</span>
    <button type="button" class="button-secondary copy" data-copy="${id}" data-copy-what="${what}">Copy ${what}</button></div>
  <pre class="code" tabindex="0" aria-labelledby="${id}-label"><code id="${id}">${code}</code></pre>
</div>`
}

/** The form of the snippet builder, carrying this server's absolute URLs for its script. */
function builderForm(server: SnippetServer): Markup {
  return html`<form id="snippet-builder" class="builder" aria-labelledby="build-title" hidden
  data-script-src="${server.scriptSrc}"
  data-endpoint="${server.endpoint}"
  data-status-endpoint="${server.statusEndpoint}"
  data-publishable-key="${server.publishableKey}"${
    server.stripeJsUrl
      ? html`
  data-stripe-js-url="${server.stripeJsUrl}"`
      : ''
  }>
  <p class="builder-intro">Choose how the button reads and looks, and where it leads. The snippet below follows your choices.</p>
  <div class="field">
    <label for="builder-label">Button text</label>
    <input id="builder-label" name="label" type="text" value="${DEFAULT_LABEL}" maxlength="60" autocomplete="off" aria-describedby="builder-label-hint">
    <p class="hint" id="builder-label-hint">Leave it empty to use the element’s own wording, in its language.</p>
  </div>
  <div class="field">
    <label for="builder-lang">Language</label>
    <select id="builder-lang" name="lang" aria-describedby="builder-lang-hint">
      <option value="" selected>The page’s language</option>
      ${LANGUAGES.map(([lang, name]) => html`<option value="${lang}">${name}</option>`)}
    </select>
    <p class="hint" id="builder-lang-hint">The language of the element’s own messages, such as “Starting verification…”.</p>
  </div>
  <div class="field">
    <label for="builder-accent">Button colour</label>
    <input id="builder-accent" name="accent" type="color" value="${DEFAULT_ACCENT}" aria-describedby="builder-accent-hint builder-accent-contrast">
    <p class="hint" id="builder-accent-hint">Any colour: the element labels a light one in black and a dark one in white.</p>
    <p class="hint" id="builder-accent-contrast" aria-live="polite">${accentReadability(DEFAULT_ACCENT).message}</p>
  </div>
  <div class="field">
    <label for="builder-return-url">Page to return to after submitting (optional)</label>
    <input id="builder-return-url" name="return-url" type="url" inputmode="url" autocomplete="off" spellcheck="false"
      placeholder="https://your-site.example/thank-you" aria-describedby="builder-return-url-hint builder-return-url-error">
    <p class="hint" id="builder-return-url-hint">A full address, such as your thank-you page. Leave it empty to keep the visitor on the page and show the status there.</p>
    <p class="field-error" id="builder-return-url-error" aria-live="polite"></p>
  </div>
</form>`
}

/** Cloudflare's "Deploy to Cloudflare" address for the repository at `repositoryUrl` (its root, where the Worker's configuration is). */
export function deployToCloudflareUrl(repositoryUrl: string): string {
  return `https://deploy.workers.cloudflare.com/?url=${repositoryUrl}`
}

/**
 * `/embed`: a snippet builder for site owners, and what they need to know to paste the element into
 * their pages; `themeCss` is the stylesheet it shows, `repositoryUrl` what "Deploy to Cloudflare" deploys.
 */
export function embedPage(options: DemoOptions, themeCss: string, repositoryUrl: string | null): Markup {
  // Every URL is absolute, on the configured origin: the snippet runs on the site owner's pages.
  const server: SnippetServer = {
    scriptSrc: new URL(options.scriptPath, options.publicUrl).href,
    endpoint: `${options.publicUrl}${CREATE_SESSION_PATH}`,
    statusEndpoint: `${options.publicUrl}${SESSION_STATUS_PATH}`,
    publishableKey: options.publishableKey,
    stripeJsUrl: options.stripeJsUrl,
  }
  const body = html`
${heroSection()}

${buildSection(server)}

${setupCheckSection(options.stripeJsUrl !== null)}

${siteBuildersSection()}

${settingsSection()}

${repositoryUrl ? ownServerSection(repositoryUrl) : ''}

${eventsSection()}

${styleSection(themeCss)}

<p class="sr-only" id="copy-status" role="status" aria-live="polite"></p>`
  return layout(options, {name: 'embed', title: 'Add it to your site', body, scripts: ['/demo/copy-button.js', '/demo/snippet-builder.js', '/demo/setup-check.js']})
}

/** Who the page is for and what it gives them. */
function heroSection(): Markup {
  return html`<section class="hero" aria-labelledby="embed-title">
  <p class="eyebrow">For site owners</p>
  <h1 id="embed-title">Add identity verification to your site</h1>
  <p class="lede">Paste one snippet into any site builder that accepts HTML. Visitors get a button that opens
  Stripe’s verification window; the result is recorded on this server.</p>
</section>`
}

/** Step 1: the builder, and the snippet it writes, which starts from the defaults. */
function buildSection(server: SnippetServer): Markup {
  const snippet = embedSnippet(server, {label: DEFAULT_LABEL, lang: '', accent: DEFAULT_ACCENT, returnUrl: null})
  return html`<section class="card" aria-labelledby="build-title">
  <h2 id="build-title">1. Build your snippet</h2>
  ${server.stripeJsUrl ? emulatorNotice(server.endpoint) : ''}
  ${builderForm(server)}
  ${preview(server)}
  ${codeBlock('snippet-embed', 'HTML snippet', snippet, 'the snippet')}
  <p class="snippet-note">Paste it where the button should appear. The text between the tags is the button’s label.</p>
  <p class="sr-only" id="snippet-status" role="status" aria-live="polite"></p>
</section>`
}

/** In emulator mode, said in words above the builder: the snippet reaches this machine only. */
function emulatorNotice(endpoint: string): Markup {
  const server = new URL(endpoint).origin
  return html`<div class="callout callout-warn" id="emulator-notice">
  <p><strong>Emulator mode: this snippet works only on this computer.</strong> It calls this server at
  <code>${server}</code> and loads the local Stripe emulator, which the visitors of your site cannot reach, and it
  verifies nobody for real.</p>
  <p>With real Stripe keys (<code>STRIPE_SECRET_KEY</code>, <code>STRIPE_PUBLISHABLE_KEY</code>) and
  <code>PUBLIC_URL</code> set to this server’s public address, this page writes a snippet that works on any site:
  the emulator’s line disappears and every address becomes the public one. See the section “Going live” of the
  deploy guide, <code>docs/deploy.md#going-live</code>.</p>
</div>`
}

/** The real element, as the snippet makes it, which the builder's script redraws with the form. */
function preview(server: SnippetServer): Markup {
  return html`<div class="preview" role="group" aria-labelledby="preview-title">
  <p class="preview-title" id="preview-title">Preview</p>
  <p class="hint">The button the snippet makes, working against this server.${
    server.stripeJsUrl ? ' Click it to try a verification with the emulator’s test cases.' : ' Clicking it starts a real verification.'
  }</p>
  <div class="preview-stage">
    <identity-verify id="builder-preview" publishable-key="${server.publishableKey}" endpoint="${server.endpoint}">${DEFAULT_LABEL}</identity-verify>
  </div>
</div>`
}

/**
 * Step 2: the site owner's address, checked against this server before they paste (`/setup/origin`).
 * Without the script the form stays hidden and the callout says which setting to ask for.
 */
function setupCheckSection(emulator: boolean): Markup {
  return html`<section class="card" aria-labelledby="check-title">
  <h2 id="check-title">2. Check that this server accepts your site</h2>
  <p>This server answers only the pages of its own address and of the sites its operator lists. A page on any other
  site shows the button, but the button says the site is not set up.</p>
  <p class="callout" id="setup-static"><strong>Before it works on your site:</strong> ask the server’s operator to add
  your site’s address, such as <code>https://your-site.example</code>, to <code>ALLOWED_ORIGINS</code>.</p>
  <form id="setup-check" class="setup-check" hidden data-path="${SETUP_ORIGIN_PATH}"${emulator ? html` data-emulator` : ''}>
    <div class="field">
      <label for="setup-site">Your site’s address</label>
      <input id="setup-site" name="site" type="text" inputmode="url" autocomplete="url" spellcheck="false"
        placeholder="https://your-site.example" aria-describedby="setup-site-hint">
      <p class="hint" id="setup-site-hint">Where you will paste the snippet, such as <code>https://your-site.example</code>. A page’s address will do: only the scheme, host and port count.</p>
    </div>
    <button type="submit" class="button-secondary">Check my site</button>
  </form>
  <div id="setup-result" class="setup-result" role="status" aria-live="polite"></div>
</section>`
}

/** Step 3: where each site builder takes the snippet, and what a builder that frames it takes away. */
function siteBuildersSection(): Markup {
  return html`<section class="card" aria-labelledby="builders-title">
  <h2 id="builders-title">3. Paste it into your site builder</h2>
  <dl class="builders">
    <dt>WordPress</dt>
    <dd>Add a <strong>Custom HTML</strong> block and paste the snippet into it. WordPress keeps the script only for
    accounts allowed to post unfiltered HTML, such as a single site’s administrators; on WordPress.com, only on
    plans that allow plugins.</dd>
    <dt>Webflow</dt>
    <dd>Add an <strong>Embed</strong> (Code Embed) element and paste the snippet into it. Custom code needs a paid site
    plan, and runs on the published site, not in the Designer.</dd>
    <dt>Squarespace</dt>
    <dd>Add a <strong>Code</strong> block and paste the snippet into it. JavaScript in code blocks needs a Business plan
    or higher, and runs on the live site, not in the editor.</dd>
    <dt>Wix, and builders that put your HTML in a frame</dt>
    <dd>
      <p>Wix’s <strong>Embed HTML</strong> element (and other iframe embeds) places the snippet in a frame that comes from
      another address, not on your page. The button shows, but:</p>
      <ul>
        <li>Stripe’s verification window opens inside the frame’s box, not over your page;</li>
        <li>the frame may be refused the camera, so the visitor cannot take a photo of their document;</li>
        <li>a sandboxed frame may not keep anything between visits, so a visitor who comes back is not recognised;</li>
        <li>the page to return to opens inside the frame too.</li>
      </ul>
      <p>Use a builder that places your code on the page itself, or put the button on a full page of its own and link to
      it.</p>
    </dd>
  </dl>
</section>`
}

/** Step 4: the element's attributes the snippet sets, for changing it by hand. */
function settingsSection(): Markup {
  return html`<section class="card" aria-labelledby="settings-title">
  <h2 id="settings-title">4. What the snippet sets</h2>
  <p>To change the snippet by hand, edit these attributes of <code>&lt;identity-verify&gt;</code>.</p>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="settings-title">
  <table>
    <thead><tr><th scope="col">Attribute</th><th scope="col">What to put</th></tr></thead>
    <tbody>
      ${SETTINGS.map((s) => html`<tr><th scope="row"><code>${s.name}</code>${s.required ? html` <span class="badge">required</span>` : ''}</th><td>${s.value}</td></tr>`)}
    </tbody>
  </table>
  </div>
</section>`
}

/**
 * For an owner with no server of their own yet: one on Cloudflare Workers, from the repository, in the
 * order that works (Stripe's webhook first, since the deploy asks for its signing secret). A link, not
 * Cloudflare's button image, which the page's Content-Security-Policy would refuse.
 */
function ownServerSection(repositoryUrl: string): Markup {
  return html`<section class="card" id="own-server" aria-labelledby="own-server-title">
  <h2 id="own-server-title">No server yet? Put one on Cloudflare</h2>
  <p>The snippet calls the server that shows this page. To verify your own visitors with your own Stripe account,
  run a server of your own: Cloudflare Workers runs it for you, at an address of its own, with no database to rent.
  You need a Stripe account with Identity switched on, and a free Cloudflare account.</p>
  <ol class="own-server-steps">
    <li><strong>Choose your server’s address.</strong> It will be
    <code>https://identity-verify.<var>your-subdomain</var>.workers.dev</code>: your account’s workers.dev subdomain
    is shown in Cloudflare’s dashboard, under <strong>Workers &amp; Pages</strong>.</li>
    <li><strong>Tell Stripe where to send results.</strong> In Stripe’s dashboard, under <strong>Developers →
    Webhooks</strong>, add an endpoint at your address followed by <code>/webhook</code>, listening to the
    <code>identity.verification_session.*</code> events. Keep its signing secret (<code>whsec_…</code>), and your
    publishable and secret keys from <strong>Developers → API keys</strong>.</li>
    <li><strong>Deploy.</strong> Follow the link below, sign in to Cloudflare and keep the name
    <code>identity-verify</code>. Cloudflare asks for five values: <code>STRIPE_SECRET_KEY</code>,
    <code>STRIPE_PUBLISHABLE_KEY</code>, <code>STRIPE_WEBHOOK_SECRET</code> (the signing secret),
    <code>PUBLIC_URL</code> (your address) and <code>ALLOWED_ORIGINS</code> (your site’s address, such as
    <code>https://your-site.example</code>).</li>
    <li><strong>Open <code>/embed</code> on your address.</strong> The same page, for your server: check your site there
    and copy your snippet.</li>
  </ol>
  <p><a class="button-link" href="${deployToCloudflareUrl(repositoryUrl)}">Deploy to Cloudflare</a></p>
  <p class="hint">Each step in more detail, and other ways to run it (on Node, Bun, Deno or in a container), are in
  <a href="${repositoryUrl}/blob/main/docs/deploy.md#deploy-to-cloudflare">the deploy guide</a>.</p>
</section>`
}

/** Step 5 (optional): the element's events, and a listener to copy. */
function eventsSection(): Markup {
  const listener = [
    '<script type="module">',
    "  document.addEventListener('identity-verify-submitted', (event) => {",
    "    console.log('Submitted', event.detail.sessionId)",
    '  })',
    '</script>',
  ].join('\n')
  return html`<section class="card" aria-labelledby="events-title">
  <h2 id="events-title">5. React to what happens (optional)</h2>
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
  ${codeBlock('snippet-listen', 'Listening to an event', listener, 'the listener')}
</section>`
}

/** Step 6 (optional): the custom properties and parts that restyle the element. */
function styleSection(themeCss: string): Markup {
  return html`<section class="card" aria-labelledby="style-title">
  <h2 id="style-title">6. Match your brand (optional)</h2>
  <p>The builder’s colour is the element’s <code>accent</code> attribute, which sets <code>--identity-verify-accent</code>
  itself, so it works on a site whose Content-Security-Policy forbids inline styles. For more, set these custom
  properties in your stylesheet, or style the element’s <code>button</code> and <code>message</code> parts.</p>
  ${codeBlock('snippet-style', 'CSS', themeCss, 'the CSS')}
</section>`
}
