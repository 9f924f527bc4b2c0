// Shows the status the server confirmed for this visitor's latest verification, and keeps it live.
// The words for each state are <template>s written on the server; this script only picks one.
const status = document.getElementById('status')
const copy = document.getElementById('status-heading')
const reason = document.getElementById('status-reason')
const meta = document.getElementById('status-meta')
const retry = document.getElementById('retry')

// Right after submitting, the webhook that moves the session to `processing` may still be on its way,
// so a session still waiting for input is given a moment before the page says so.
const GRACE_MS = 15_000
const started = Date.now()

function render(state, session) {
  const template =
    document.querySelector(`template[data-state="${CSS.escape(state)}"]`) ??
    document.querySelector('template[data-state="unavailable"]')
  status.dataset.state = state
  copy.replaceChildren(template.content.cloneNode(true))
  document.title = `${copy.querySelector('h1').textContent} · Stallholder`

  const code = session?.last_error?.code
  reason.hidden = !code
  if (code) {
    const known = document.querySelector(`template[data-reason="${CSS.escape(code)}"]`)
    reason.textContent = (known ?? document.querySelector('template[data-reason="unknown"]')).content.textContent
    reason.dataset.code = code
  }
  meta.hidden = !session
  if (session) document.getElementById('status-session').textContent = session.id
  retry.hidden = !template.hasAttribute('data-retry')
}

/** Which page state a server answer means, and whether it can still change on its own. */
function stateOf(session) {
  if (session.status === 'requires_input' && !session.last_error) {
    return Date.now() - started < GRACE_MS ? ['checking', true] : ['waiting', true]
  }
  return [session.status, session.status === 'processing']
}

async function poll() {
  let next = true
  try {
    const response = await fetch(status.dataset.endpoint, {headers: {accept: 'application/json'}, cache: 'no-store'})
    if (response.status === 404 || response.status === 401) {
      render('none', null)
      next = false
    } else if (!response.ok) {
      render('unavailable', null)
    } else {
      const session = await response.json()
      const [state, live] = stateOf(session)
      render(state, session)
      next = live
    }
  } catch {
    render('unavailable', null)
  }
  if (next) setTimeout(poll, Date.now() - started < 60_000 ? 1000 : 5000)
}

poll()
