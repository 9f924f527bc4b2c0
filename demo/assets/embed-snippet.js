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

/** The element's label colour, which the snippet cannot change: white. */
export const LABEL_COLOUR = '#ffffff'

/** The contrast WCAG AA asks of text this size. */
export const AA_CONTRAST = 4.5

/** WCAG's relative luminance of a `#rrggbb` colour. */
function luminance(colour) {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(colour.slice(at, at + 2), 16) / 255
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG's contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}

/**
 * Whether the white label reads on `accent` (`#rrggbb`): `{readable, ratio, message}`, the ratio
 * written as `4.70:1`, cut rather than rounded so that a colour under 4.5:1 never reads as 4.50:1.
 */
export function accentReadability(accent) {
  const colour = accent.toLowerCase()
  const ratio = Math.floor(contrastRatio(colour, LABEL_COLOUR) * 100) / 100
  const shown = `${ratio.toFixed(2)}:1`
  if (ratio >= AA_CONTRAST) {
    return {readable: true, ratio, message: `Readable: the white label on ${colour} has a contrast of ${shown} (at least 4.5:1 is needed).`}
  }
  return {
    readable: false,
    ratio,
    message: `Too light: the white label on ${colour} has a contrast of only ${shown}, and at least 4.5:1 is needed to read it. Pick a darker colour; the snippet keeps the last readable one.`,
  }
}
