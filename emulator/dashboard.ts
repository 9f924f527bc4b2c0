import {Hono} from 'hono'
import type Stripe from 'stripe'
import type {EventLog, VerificationEvent} from './events.js'
import type {SessionStore} from './sessions.js'
import type {DeliveryAttempt, WebhookDelivery} from './webhooks.js'

type VerificationSession = Stripe.Identity.VerificationSession

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

const time = (unix: number) => new Date(unix * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC')

const STYLE = `
  :root { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #0a2540; background: #f6f9fc; }
  body { max-width: 1100px; margin: 0 auto; padding: 24px; }
  header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
  h1 { font-size: 22px; margin: 0; } h2 { font-size: 17px; margin: 28px 0 8px; }
  .muted { color: #566a7f; font-size: 13px; }
  table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #e3e8ee; border-radius: 8px; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #566a7f; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
  .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 13px; font-weight: 600; background: #e3e8ee; }
  .status-verified, .ok { background: #d7f7c2; color: #05690d; }
  .status-requires_input, .fail { background: #ffe7f2; color: #b3093c; }
  .status-processing { background: #fcedb9; color: #a82c00; }
  .status-canceled { background: #ebeef1; color: #545969; }
  .ok, .fail { padding: 1px 6px; border-radius: 4px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; border: 1px solid #e3e8ee; border-radius: 8px; padding: 12px 16px; }
  dt { color: #566a7f; }
  dd { margin: 0; }
  button { font: inherit; padding: 4px 12px; border: 1px solid #cfd7df; border-radius: 6px; background: #fff; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 3px solid #635bff; outline-offset: 2px; }
  a { color: #635bff; }
`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Stripe Identity emulator</title><style>${STYLE}</style></head>
<body>
${body}
</body>
</html>
`
}

const statusBadge = (status: string) => `<span class="status status-${escapeHtml(status)}">${escapeHtml(status)}</span>`
/** A value in code type, or a muted "none". */
const orNone = (value: string | null) => (value === null ? '<span class="muted">none</span>' : `<code>${escapeHtml(value)}</code>`)
const lastErrorText = (lastError: {code: string | null; reason: string | null} | null) =>
  lastError ? `<code>${escapeHtml(lastError.code)}</code> <span class="muted">${escapeHtml(lastError.reason)}</span>` : '<span class="muted">none</span>'

/** The dashboard: sessions newest first, a page per session with its events and delivery attempts, and resend. */
export function dashboardRoutes({sessions, events, webhooks}: {sessions: SessionStore; events: EventLog; webhooks: WebhookDelivery}): Hono {
  const app = new Hono()
  app.use('*', async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
  })

  app.get('/', (c) => c.html(sessionListPage(sessions.list(), webhooks.url)))

  app.get('/sessions/:id', (c) => {
    const id = c.req.param('id')
    if (!sessions.has(id))
      return c.html(page('Not found', `<h1>No such session</h1><p><code>${escapeHtml(id)}</code> does not exist. <a href="/dashboard">All sessions</a></p>`), 404)
    const eventRows = events
      .forSession(id)
      .map((event) => eventRow(event, webhooks.attempts(event.id)))
      .join('\n')
    return c.html(sessionPage(sessions.peek(id), eventRows))
  })

  app.post('/events/:id/resend', (c) => {
    const event = events.get(c.req.param('id'))
    if (!event) return c.html(page('Not found', `<h1>No such event</h1><p><a href="/dashboard">All sessions</a></p>`), 404)
    webhooks.resend(event)
    return c.redirect(`/dashboard/sessions/${encodeURIComponent(event.data.object.id)}`, 303)
  })

  return app
}

/** `/dashboard`: every session, newest first, and where webhooks go. */
function sessionListPage(list: VerificationSession[], webhookUrl: string): string {
  return page(
    'Verification sessions',
    `<header><h1>Verification sessions</h1><span class="muted">Stripe Identity emulator · test mode · webhooks to <code>${escapeHtml(webhookUrl)}</code></span></header>
<h2>${list.length} session${list.length === 1 ? '' : 's'}, newest first</h2>
${
  list.length === 0
    ? '<p class="muted">No sessions yet. Create one with <code>POST /v1/identity/verification_sessions</code>.</p>'
    : `<table>
<thead><tr><th scope="col">Session</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Client reference</th><th scope="col">Last error</th></tr></thead>
<tbody>
${list.map(sessionRow).join('\n')}
</tbody>
</table>`
}`,
  )
}

/** A session's row in the list, linking to its page. */
function sessionRow(s: VerificationSession): string {
  return `<tr>
  <td><a href="/dashboard/sessions/${encodeURIComponent(s.id)}"><code>${escapeHtml(s.id)}</code></a></td>
  <td>${statusBadge(s.status)}</td>
  <td>${escapeHtml(time(s.created))}</td>
  <td>${orNone(s.client_reference_id)}</td>
  <td>${lastErrorText(s.last_error)}</td>
</tr>`
}

/** `/dashboard/sessions/:id`: a session's details, then its events (`eventRows`) with their deliveries. */
function sessionPage(s: VerificationSession, eventRows: string): string {
  const metadata = Object.entries(s.metadata)
    .map(([k, v]) => `<code>${escapeHtml(k)}</code>: ${escapeHtml(v)}`)
    .join('<br>')
  const providedDetails = Object.entries(s.provided_details ?? {})
    .map(([k, v]) => `${escapeHtml(k)}: <code>${escapeHtml(v)}</code>`)
    .join('<br>')
  return page(
    s.id,
    `<p><a href="/dashboard">← All sessions</a></p>
<header><h1><code>${escapeHtml(s.id)}</code></h1>${statusBadge(s.status)}</header>
<h2>Details</h2>
<dl>
  <dt>Status</dt><dd>${escapeHtml(s.status)}</dd>
  <dt>Last error</dt><dd>${lastErrorText(s.last_error)}</dd>
  <dt>Type</dt><dd>${escapeHtml(s.type)}</dd>
  <dt>Created</dt><dd>${escapeHtml(time(s.created))}</dd>
  <dt>Client reference</dt><dd>${orNone(s.client_reference_id)}</dd>
  <dt>Metadata</dt><dd>${metadata || '<span class="muted">none</span>'}</dd>
  <dt>Provided details</dt><dd>${providedDetails || '<span class="muted">none</span>'}</dd>
  <dt>Related customer</dt><dd>${orNone(s.related_customer ?? s.related_customer_account ?? null)}</dd>
  <dt>Last verification report</dt><dd>${orNone(typeof s.last_verification_report === 'string' ? s.last_verification_report : null)}</dd>
  <dt>Redaction</dt><dd>${s.redaction ? escapeHtml(s.redaction.status) : '<span class="muted">none</span>'}</dd>
</dl>
<h2>Events and webhook deliveries</h2>
<table>
<thead><tr><th scope="col">Event</th><th scope="col">Delivery attempts</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>
${eventRows}
</tbody>
</table>`,
  )
}

/** An event's row: its type, its delivery attempts (or pending), and a button that sends it again. */
function eventRow(event: VerificationEvent, attempts: readonly DeliveryAttempt[]): string {
  const list = attempts.length ? attempts.map(attemptItem).join('') : '<li class="muted">pending</li>'
  return `<tr>
  <td><code>${escapeHtml(event.type)}</code><br><span class="muted"><code>${escapeHtml(event.id)}</code> · ${escapeHtml(time(event.created))}</span></td>
  <td><ol class="attempts">${list}</ol></td>
  <td><form method="post" action="/dashboard/events/${encodeURIComponent(event.id)}/resend"><button type="submit" aria-label="Resend ${escapeHtml(event.type)} (${escapeHtml(event.id)})">Resend</button></form></td>
</tr>`
}

/** One delivery attempt: its number, whether a person resent it, the receiver's answer or why there was none, when and how long. */
function attemptItem(a: DeliveryAttempt): string {
  const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300
  const outcome = a.statusCode !== null ? `HTTP ${a.statusCode}` : escapeHtml(a.error)
  return `<li>#${a.attempt}${a.manual ? ' (resent)' : ''} <span class="${ok ? 'ok' : 'fail'}">${outcome}</span> <span class="muted">${escapeHtml(a.at)} · ${a.durationMs} ms</span></li>`
}
