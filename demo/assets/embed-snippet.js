// The HTML snippet a site owner pastes into their own pages, written once: the server renders the
// default one into /embed, and the builder on that page redraws it from the same function.

/** The button text the snippet starts with. */
export const DEFAULT_LABEL = 'Verify my identity'

/** The element's own accent colour: choosing it adds no style to the snippet. */
export const DEFAULT_ACCENT = '#635bff'

/** The languages the element has built-in texts for, as `[lang, name]`. */
export const LANGUAGES = [
  ['en', 'English'],
  ['es', 'Spanish (español)'],
  ['fr', 'French (français)'],
  ['de', 'German (Deutsch)'],
  ['it', 'Italian (italiano)'],
  ['pt', 'Portuguese (português)'],
  ['nl', 'Dutch (Nederlands)'],
  ['ja', 'Japanese (日本語)'],
]

const COLOUR = /^#[0-9a-f]{6}$/

function escapeText(text) {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function escapeAttribute(value) {
  return escapeText(value).replaceAll('"', '&quot;')
}

/**
 * The snippet for `server` (absolute URLs of this server, its publishable key, and in emulator mode
 * the emulator's Stripe.js) and the site owner's `choices`.
 */
export function embedSnippet(server, choices) {
  const accent = choices.accent.toLowerCase()
  const lang = LANGUAGES.some(([code]) => code === choices.lang) ? choices.lang : ''
  const attributes = [
    ['publishable-key', server.publishableKey],
    ['endpoint', server.endpoint],
    // Always: the element then shows the status the server confirmed, and a returning visitor's.
    ['status-endpoint', server.statusEndpoint],
    ...(choices.returnUrl ? [['return-url', choices.returnUrl]] : []),
    ...(lang ? [['lang', lang]] : []),
    // An attribute the element applies itself, not a `style` attribute, which a site's Content-Security-Policy may refuse.
    ...(COLOUR.test(accent) && accent !== DEFAULT_ACCENT ? [['accent', accent]] : []),
  ].map(([name, value]) => `  ${name}="${escapeAttribute(value)}"`)
  const label = choices.label.trim()
  return [
    ...(server.stripeJsUrl
      ? ['<!-- Emulator mode only: remove this line when you use real Stripe keys -->', `<script src="${escapeAttribute(server.stripeJsUrl)}"></script>`]
      : []),
    `<script type="module" src="${escapeAttribute(server.scriptSrc)}"></script>`,
    '<identity-verify',
    ...attributes.slice(0, -1),
    // Without a label nothing may stand between the tags, not even a line break, or the element
    // would not show its own wording.
    label ? `${attributes.at(-1)}>\n  ${escapeText(label)}\n</identity-verify>` : `${attributes.at(-1)}></identity-verify>`,
  ].join('\n')
}

/**
 * The page to return to, as typed: `{url}` (null when empty: stay on the page) or `{error}`, a
 * sentence for the site owner. Only absolute http and https addresses are accepted.
 */
export function readReturnUrl(typed) {
  const text = typed.trim()
  if (!text) return {url: null}
  let url
  try {
    url = new URL(text)
  } catch {
    return {error: 'Enter a full address that starts with https://, such as https://your-site.example/thank-you.'}
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {error: 'Enter a web address that starts with https:// (or http://).'}
  }
  return {url: url.href}
}
