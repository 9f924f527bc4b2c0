// The setup check on /embed: asks this server (GET /setup/origin) whether it accepts the site owner's
// address, and says so in words, with the setting to change when it does not. Without this script the
// form stays hidden and the page's callout names the setting instead.
const form = document.getElementById('setup-check')
const site = form.elements.site
const result = document.getElementById('setup-result')
const emulator = 'emulator' in form.dataset

/** A paragraph of text and `<code>` parts: `['Set ', ['ALLOWED_ORIGINS=…'], '.']`. */
function paragraph(...parts) {
  const p = document.createElement('p')
  for (const part of parts) {
    if (typeof part === 'string') p.append(part)
    else p.append(Object.assign(document.createElement('code'), {textContent: part[0]}))
  }
  return p
}

/** Replaces what the result says, in one change, so a screen reader reads it once. */
function say(state, ...paragraphs) {
  result.dataset.state = state
  result.replaceChildren(...paragraphs)
}

/** The address as typed, with `https://` in front when the owner left the scheme out. */
function addressOf(typed) {
  const text = typed.trim()
  return /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`
}

function allowed(origin) {
  say(
    'allowed',
    paragraph('This server accepts pages of ', [origin], ': the snippet will work there.'),
    ...(emulator ? [paragraph('In emulator mode, only in a browser on this computer (see the note above).')] : []),
  )
}

function refused(origin) {
  say(
    'refused',
    paragraph('This server does not accept pages of ', [origin], ' yet: the button there would say the site is not set up. Ask the server’s operator to add it:'),
    paragraph(
      'If the server runs with npm start (or identity-verify start): add it to the environment as ',
      [`ALLOWED_ORIGINS=${origin}`],
      ' (several sites separated by commas), then restart the server.',
    ),
    paragraph(
      'If the server runs on Cloudflare Workers: in Cloudflare’s dashboard, under the Worker’s Settings → Variables and Secrets, add it to ',
      ['ALLOWED_ORIGINS'],
      ' (separated from any other site by a comma).',
    ),
    paragraph('If the server is an app that mounts createApp: add it to its options as ', [`allowedOrigins: ['${origin}']`], '.'),
  )
}

async function check() {
  if (!site.value.trim()) {
    say('problem', paragraph('Enter your site’s address, such as ', ['https://your-site.example'], '.'))
    site.focus()
    return
  }
  say('checking', paragraph('Checking…'))
  try {
    const response = await fetch(`${form.dataset.path}?origin=${encodeURIComponent(addressOf(site.value))}`, {headers: {Accept: 'application/json'}})
    const answer = await response.json()
    if (!response.ok) return say('problem', paragraph(answer.error?.message ?? `The check answered ${response.status}.`))
    if (answer.allowed) allowed(answer.origin)
    else refused(answer.origin)
  } catch {
    say('problem', paragraph('The check could not reach this server. Reload the page and try again.'))
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  check()
})
document.getElementById('setup-static').hidden = true
form.hidden = false
