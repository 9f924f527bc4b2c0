// Shows the status the server confirmed for this visitor's latest verification, and keeps it live.
// The words for each state are <template>s written on the server; this script only picks one.
const status = document.getElementById('status')
const copy = document.getElementById('status-heading')
const reason = document.getElementById('status-reason')
const meta = document.getElementById('status-meta')
const retry = document.getElementById('retry')

// Right after submitting, the webhook that moves the session to `processing` may still be on its way,
// so for a moment the server still answers what it knew before: a session waiting for input, or the
// reason an earlier attempt on the same session failed. A visitor who just arrived from a submission is
// shown "checking" for that moment; the page keeps asking for a minute either way.
const GRACE_MS = 15_000
const RETRY_GRACE_MS = 3_000
const LIVE_MS = 60_000
const started = Date.now()
const arrivedFromSubmission =
  performance.getEntriesByType('navigation')[0]?.type === 'navigate' && document.referrer.startsWith(`${location.origin}/`)

function render(state, session) {
  const template =
    document.querySelector(`template[data-state="${CSS.escape(state)}"]`) ??
    document.querySelector('template[data-state="unavailable"]')
  status.dataset.state = state
  copy.replaceChildren(template.content.cloneNode(true))
  document.title = `${copy.querySelector('h1').textContent} · Stallholder`

  // The reason belongs to a failed attempt only, not to the moment before a new one is confirmed.
  const code = state === 'requires_input' ? session?.last_error?.code : undefined
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

/** Which page state a server answer means, and whether it may still change on its own. */
function stateOf(session) {
  const elapsed = Date.now() - started
  if (session.status === 'requires_input' && !session.last_error) {
    return [elapsed < GRACE_MS ? 'checking' : 'waiting', true]
  }
  if (session.status === 'requires_input' && arrivedFromSubmission && elapsed < RETRY_GRACE_MS) return ['checking', true]
  return [session.status, session.status === 'processing' || (session.status === 'requires_input' && elapsed < LIVE_MS)]
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
  if (next) setTimeout(poll, Date.now() - started < LIVE_MS ? 1000 : 5000)
}

poll()
