// The snippet builder on /embed: redraws the snippet as the site owner changes the form. The server
// already rendered the default snippet, so without this script the page still offers a working one;
// the form, useless then, stays hidden until this script shows it.
import {embedSnippet, readReturnUrl} from './embed-snippet.js'

const form = document.getElementById('snippet-builder')
const code = document.getElementById('snippet-embed')
const returnUrl = form.elements['return-url']
const returnUrlError = document.getElementById('builder-return-url-error')
const status = document.getElementById('snippet-status')
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

/**
 * Redraws the snippet from the form. A return page that is not a web address leaves the snippet as
 * it was; its error shows once the owner leaves the field (`committed`), not while they are typing.
 */
function redraw(committed) {
  const page = readReturnUrl(returnUrl.value)
  if (page.error) {
    if (committed || returnUrl.hasAttribute('aria-invalid')) showError(page.error)
    return
  }
  clearError()
  const snippet = embedSnippet(server, {
    label: form.elements.label.value,
    lang: form.elements.lang.value,
    accent: form.elements.accent.value,
    returnUrl: page.url,
  })
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
