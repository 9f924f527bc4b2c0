import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {emulatorForTests} from './emulator-fixture.js'

const t = emulatorForTests()

const html = async (path: string) => {
  const res = await fetch(`${t.emulator.url}${path}`)
  return {status: res.status, type: res.headers.get('content-type'), body: await res.text()}
}

describe('the dashboard', () => {
  it('lists sessions newest first with status, client reference and last error', async () => {
    const older = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: 'first_user'})
    const newer = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: 'second_user'})
    await fetch(`${t.emulator.url}/emulator/verification_sessions/${older.id}/submit`, {method: 'POST', body: new URLSearchParams({outcome: 'document_expired'})})
    const page = await html('/dashboard')
    assert.equal(page.status, 200)
    assert.match(page.type!, /^text\/html/)
    assert.ok(page.body.indexOf(newer.id) < page.body.indexOf(older.id), 'newest first')
    assert.match(page.body, /second_user/)
    assert.match(page.body, new RegExp(`${older.id}[\\s\\S]*?requires_input[\\s\\S]*?first_user[\\s\\S]*?document_expired`))
  })

  it('escapes what API callers wrote', async () => {
    await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: '<script>alert(1)</script>', metadata: {note: '"><img src=x onerror=alert(1)>'}})
    const list = await html('/dashboard')
    assert.ok(!list.body.includes('<script>alert(1)</script>'))
    assert.match(list.body, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/)
    const [session] = (await t.stripe.identity.verificationSessions.list({limit: 1})).data
    const detail = await html(`/dashboard/sessions/${session.id}`)
    assert.ok(!detail.body.includes('<img src=x'))
  })

  it('shows a session with its events and a resend button per event, and no secret anywhere', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const secret = (await t.stripe.identity.verificationSessions.retrieve(session.id)).client_secret!
    await fetch(`${t.emulator.url}/emulator/verification_sessions/${session.id}/submit`, {method: 'POST', body: new URLSearchParams({outcome: 'verified'})})
    const detail = await html(`/dashboard/sessions/${session.id}`)
    assert.equal(detail.status, 200)
    for (const type of ['created', 'processing', 'verified']) assert.match(detail.body, new RegExp(`identity\\.verification_session\\.${type}`))
    const events = (await t.stripe.events.list({limit: 100})).data.filter((e) => (e.data.object as {id: string}).id === session.id)
    for (const event of events) assert.match(detail.body, new RegExp(`action="/dashboard/events/${event.id}/resend"`))
    // An open session, whose secret and URL the API lists: neither reaches the dashboard.
    const open =
      (await t.stripe.identity.verificationSessions.list({limit: 1, status: 'requires_input'})).data[0] ?? (await t.stripe.identity.verificationSessions.create({type: 'document'}))
    assert.ok(open.client_secret && open.url)
    for (const page of [detail.body, (await html('/dashboard')).body, (await html(`/dashboard/sessions/${open.id}`)).body]) {
      assert.ok(!page.includes(secret) && !page.includes(session.client_secret!))
      assert.doesNotMatch(page, /_secret_|sk_test_|whsec_|\/start\/test_/)
    }
  })

  it("shows a session's provided details, related customer and last verification report", async () => {
    const session = await t.stripe.identity.verificationSessions.create({
      type: 'document',
      provided_details: {email: 'jenny@example.com', phone: '+14155550123'},
      related_customer: 'cus_dashboard',
    })
    await fetch(`${t.emulator.url}/emulator/verification_sessions/${session.id}/submit`, {method: 'POST', body: new URLSearchParams({outcome: 'verified'})})
    const report = (await t.stripe.identity.verificationSessions.retrieve(session.id)).last_verification_report as string
    const detail = await html(`/dashboard/sessions/${session.id}`)
    assert.match(detail.body, /Provided details<\/dt><dd>email: <code>jenny@example\.com<\/code><br>phone: <code>\+14155550123<\/code><\/dd>/)
    assert.match(detail.body, /Related customer<\/dt><dd><code>cus_dashboard<\/code>/)
    assert.match(detail.body, new RegExp(`Last verification report</dt><dd><code>${report}</code>`))
  })

  it('answers 404 pages for an unknown session and an unknown event', async () => {
    assert.equal((await html('/dashboard/sessions/vs_unknown')).status, 404)
    assert.equal((await fetch(`${t.emulator.url}/dashboard/events/evt_unknown/resend`, {method: 'POST'})).status, 404)
  })
})
