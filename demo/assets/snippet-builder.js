// The snippet builder on /embed: redraws the snippet as the site owner changes the form. The server
// already rendered the default snippet, so without this script the page still offers a working one;
// the form, useless then, stays hidden until this script shows it.
import {DEFAULT_ACCENT, accentReadability, embedSnippet, readReturnUrl} from './embed-snippet.js'

const form = document.getElementById('snippet-builder')
const code = document.getElementById('snippet-embed')
const returnUrl = form.elements['return-url']
const returnUrlError = document.getElementById('builder-return-url-error')
const status = document.getElementById('snippet-status')
const accent = form.elements.accent
const contrast = document.getElementById('builder-accent-contrast')
const preview = document.getElementById('builder-preview')
// Absolute URLs and the publishable key, as the server rendered them into the form.
const server = {
  scriptSrc: form.dataset.scriptSrc,
  endpoint: form.dataset.endpoint,
  statusEndpoint: form.dataset.statusEndpoint,
  publishableKey: form.dataset.publishableKey,
  stripeJsUrl: form.dataset.stripeJsUrl ?? null,
}

let announcement
/** Says "Snippet updated" once the site owner pauses, rather than at every keystroke. */
function announce() {
  clearTimeout(announcement)
  status.textContent = ''
  announcement = setTimeout(() => (status.textContent = 'Snippet updated.'), 1000)
}

function showError(message) {
  returnUrlError.textContent = message
  returnUrl.setAttribute('aria-invalid', 'true')
}

function clearError() {
  returnUrlError.textContent = ''
  returnUrl.removeAttribute('aria-invalid')
}

/** Says, in words, the label colour the element picks on the chosen colour and the contrast it reaches. */
function sayContrast() {
  contrast.textContent = accentReadability(accent.value).message
}

/**
 * The real element beside the snippet, with the same label, language and colour. The label is written
 * only when it changed: the field's `change` comes as the owner presses on the preview, and a new text
 * node under the pointer would lose that click.
 */
function showPreview(choices) {
  const label = choices.label.trim()
  if (preview.textContent !== label) preview.textContent = label
  if (choices.lang) preview.setAttribute('lang', choices.lang)
  else preview.removeAttribute('lang')
  if (choices.accent.toLowerCase() !== DEFAULT_ACCENT) preview.setAttribute('accent', choices.accent)
  else preview.removeAttribute('accent')
}

/**
 * Redraws the snippet and the preview from the form. A return page that is not a web address leaves
 * the snippet as it was; its error shows once the owner leaves the field (`committed`), not while they
 * are typing. Any colour is taken: the element picks a label that reads on it.
 */
function redraw(committed) {
  sayContrast()
  const page = readReturnUrl(returnUrl.value)
  if (page.error) {
    if (committed || returnUrl.hasAttribute('aria-invalid')) showError(page.error)
    return
  }
  clearError()
  const choices = {label: form.elements.label.value, lang: form.elements.lang.value, accent: accent.value, returnUrl: page.url}
  showPreview(choices)
  const snippet = embedSnippet(server, choices)
  if (snippet === code.textContent) return
  code.textContent = snippet
  announce()
}

form.addEventListener('input', () => redraw(false))
form.addEventListener('change', () => redraw(true))
// Enter in a field would reload the page and lose the choices; the snippet is already up to date.
form.addEventListener('submit', (event) => event.preventDefault())
form.hidden = false
// The browser may have restored earlier choices (back, reload).
redraw(true)
