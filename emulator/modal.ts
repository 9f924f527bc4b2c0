import {MESSAGE} from './stripe-js.js'
import {TEST_CASES} from './test-cases.js'

/** Where the modal checks the client secret it was handed, and where it submits a test case. */
export const MODAL_ROUTES = {
  script: '/identity/modal.js',
  checkSecret: '/emulator/modal/session',
  submit: (id: string) => `/emulator/verification_sessions/${encodeURIComponent(id)}/submit`,
}

/** The Content-Security-Policy of the modal: its own script only, embeddable by any site (as Stripe's modal is). */
export const MODAL_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors *; base-uri 'none'; form-action 'none'"

/**
 * The test cases as a list of buttons, each `<button data-outcome="…">` named by its test case and
 * described by its description, with `attributes` added; the modal and the hosted page both show it.
 */
export function testCaseList(attributes: (outcome: string) => string): string {
  const items = TEST_CASES.map(
    ({outcome, label, description}) => `      <li>
        <button ${attributes(outcome)} data-outcome="${outcome}" aria-describedby="desc-${outcome}">${label}</button>
        <span id="desc-${outcome}">${description}</span>
      </li>`,
  ).join('\n')
  return `    <ul>\n${items}\n    </ul>`
}

/** The styles of a test-mode page that lists the test cases (`testCaseList`), after the page's own. */
export const TEST_CASE_STYLES = `  .badge { display: inline-block; font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; background: #ffde92; color: #5c3b00; border-radius: 4px; padding: 2px 8px; }
  h1 { font-size: 20px; margin: 12px 0 4px; }
  p { margin: 0 0 16px; color: #425466; }
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
  li { display: grid; gap: 2px; }
  button { font: inherit; font-weight: 600; text-align: left; padding: 10px 14px; border: 1px solid #cfd7df; border-radius: 8px; background: #fff; color: #0a2540; cursor: pointer; }
  button:hover:not(:disabled) { border-color: #635bff; }
  button:focus-visible { outline: 3px solid #635bff; outline-offset: 2px; }
  li span { font-size: 13px; color: #566a7f; padding-left: 14px; }`

/** The start of a test-mode page up to its styles, which `style` begins (the test cases' styles follow it). */
export function testModeHead(style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verify your identity · test mode</title>
<style>
  :root { color-scheme: light; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #0a2540; }
${style}
${TEST_CASE_STYLES}`
}

/** The page inside the iframe: the test cases as buttons, in a labelled dialog. */
export function modalHtml(): string {
  return `${testModeHead(`  body { margin: 0; }
  main { padding: 24px; }`)}
  button:disabled { cursor: progress; opacity: .6; }
  button[data-outcome="close"] { background: #f6f9fc; }
  [role="status"] { min-height: 1.45em; margin-top: 12px; color: #425466; }
</style>
<script src="${MODAL_ROUTES.script}" defer></script>
</head>
<body>
  <main role="dialog" aria-modal="true" aria-labelledby="title" aria-describedby="intro">
    <span class="badge">Test mode</span>
    <h1 id="title">Verify your identity</h1>
    <p id="intro">This is the local Stripe Identity emulator. Choose the outcome to simulate.</p>
${testCaseList(() => 'type="button" disabled')}
    <div role="status" aria-live="polite" id="status">Loading…</div>
  </main>
</body>
</html>
`
}

/** The modal script's state: the page's origin and client secret once it sent them, the session they name, whether a result is on its way, and the choices. */
const MODAL_SCRIPT_STATE = `  var MESSAGE = ${JSON.stringify(MESSAGE)};
  var CHECK_URL = ${JSON.stringify(MODAL_ROUTES.checkSecret)};
  var clientSecret = null;
  var parentOrigin = null;
  var sessionId = null;
  var busy = false;
  var status = document.getElementById('status');
  var buttons = Array.prototype.slice.call(document.querySelectorAll('button[data-outcome]'));`

/** The modal script's submission: the chosen test case posted to the emulator, and the page sent its result, once. */
const MODAL_SCRIPT_SUBMISSION = `  function send(result) {
    busy = true;
    buttons.forEach(function (b) { b.disabled = true; });
    // An opaque parent origin ('null') cannot be targeted; the result holds no secret.
    window.parent.postMessage({type: MESSAGE.result, result: result}, parentOrigin && parentOrigin !== 'null' ? parentOrigin : '*');
  }

  function cancelled() {
    return {error: {type: 'invalid_request_error', code: 'session_cancelled', message: 'The user closed the verification modal.'}};
  }

  async function post(url, body) {
    var response = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body), credentials: 'omit'});
    return response.json();
  }

  async function choose(outcome) {
    if (busy || !parentOrigin) return;
    if (!sessionId) return send(cancelled());
    busy = true;
    buttons.forEach(function (b) { b.disabled = true; });
    status.textContent = 'Submitting…';
    try {
      send(await post('/emulator/verification_sessions/' + encodeURIComponent(sessionId) + '/submit', {outcome: outcome, client_secret: clientSecret}));
    } catch (err) {
      send({error: {type: 'api_connection_error', code: 'api_connection_error', message: 'The emulator could not be reached.'}});
    }
  }`

/** The modal script's handshake: the page's first message, whose client secret is checked before the choices are enabled. */
const MODAL_SCRIPT_HANDSHAKE = `  window.addEventListener('message', async function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== MESSAGE.init || parentOrigin !== null) return;
    parentOrigin = event.origin;
    clientSecret = String(data.clientSecret);
    try {
      var checked = await post(CHECK_URL, {client_secret: clientSecret});
      if (checked.error) return send(checked);
      sessionId = checked.id;
    } catch (err) {
      return send({error: {type: 'api_connection_error', code: 'api_connection_error', message: 'The emulator could not be reached.'}});
    }
    buttons.forEach(function (b) { b.disabled = false; });
    status.textContent = '';
    buttons[0].focus();
  });`

/** The modal script's controls: a click on a choice, Escape to close, and Tab kept inside the dialog. */
const MODAL_SCRIPT_CONTROLS = `  buttons.forEach(function (button) {
    button.addEventListener('click', function () { choose(button.dataset.outcome); });
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      choose('close');
    }
    // Keep keyboard focus inside the dialog: Tab wraps from the last choice to the first and back.
    if (event.key === 'Tab') {
      var first = buttons[0];
      var last = buttons[buttons.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });`

/** The modal's script: receives the client secret from the page, checks it, submits the chosen test case. */
export function modalScript(): string {
  return `'use strict';
(function () {
${MODAL_SCRIPT_STATE}

${MODAL_SCRIPT_SUBMISSION}

${MODAL_SCRIPT_HANDSHAKE}

${MODAL_SCRIPT_CONTROLS}
})();
`
}
