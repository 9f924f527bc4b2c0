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

/** The contrast WCAG AA asks of text this size. */
export const AA_CONTRAST = 4.5

/**
 * The relative luminance at which a black label and a white one have the same contrast: the element
 * (widget/identity-verify.styles.ts) labels a lighter accent in black and a darker one in white.
 */
const LABEL_THRESHOLD = 0.179

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

/** The label colour the element picks on `accent` (`#rrggbb`): `#000000` on a light one, `#ffffff` on a dark one. */
export function labelColourOn(accent) {
  return luminance(accent.toLowerCase()) > LABEL_THRESHOLD ? '#000000' : '#ffffff'
}

/**
 * How the label the element picks reads on `accent` (`#rrggbb`): `{label, ratio, message}`, the ratio
 * written as `4.70:1`, cut rather than rounded. Any accent reads: black or white reaches 4.58:1 at least.
 */
export function accentReadability(accent) {
  const colour = accent.toLowerCase()
  const label = labelColourOn(colour)
  const ratio = Math.floor(contrastRatio(colour, label) * 100) / 100
  const name = label === '#000000' ? 'black' : 'white'
  return {label, ratio, message: `Readable: the element labels ${colour} in ${name}, at a contrast of ${ratio.toFixed(2)}:1 (at least ${AA_CONTRAST}:1 is needed).`}
}
