// Shows the status the server confirmed for this visitor's latest verification, and keeps it live.
// The words for each state are <template>s written on the server; this script only picks one. When to
// ask again and what an answer means come from the element's own status follower, loaded by the page
// already as /identity-verify.js, so the page and the element never disagree.
import {followStatus, isSettled, meaningOf} from '/identity-verify.js'

const status = document.getElementById('status')
const copy = document.getElementById('status-heading')
const reason = document.getElementById('status-reason')
const meta = document.getElementById('status-meta')
const retry = document.getElementById('retry')

// A visitor who arrives here from a submission may be ahead of the server's webhook for a moment.
const started = Date.now()
const arrivedFromSubmission = performance.getEntriesByType('navigation')[0]?.type === 'navigate' && document.referrer.startsWith(`${location.origin}/`)

function render(state, session) {
  const template = document.querySelector(`template[data-state="${CSS.escape(state)}"]`) ?? document.querySelector('template[data-state="unavailable"]')
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

/** Asks the server once and shows its answer; resolves to true once there is nothing left to wait for. */
async function ask() {
  try {
    const response = await fetch(status.dataset.endpoint, {headers: {accept: 'application/json'}, cache: 'no-store'})
    // 204: the visitor has no verification (401: a mounted app's visitor who is not signed in).
    if (response.status === 204 || response.status === 401) return (render('none', null), true)
    if (!response.ok) return render('unavailable', null)
    const session = await response.json()
    const meaning = meaningOf(session, arrivedFromSubmission ? Date.now() - started : undefined)
    render(meaning, session)
    return isSettled(meaning)
  } catch {
    render('unavailable', null)
  }
}

ask().then((settled) => settled || followStatus(ask))
