/**
 * The Worker without `DATABASE_URL` (`npm run start:workers` in workerd through `wrangler dev`): its
 * state in SQLite-backed Durable Objects, kept in a folder that outlives a restart. A visitor
 * verifies and is still verified after the restart; one visitor's concurrent creates give one Stripe
 * session; a shuffled load of deliveries with redeliveries leaves what a serial replay leaves.
 */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, before, describe, it} from 'node:test'
import {Hono} from 'hono'
import {startEmulatorProgram, type FileDeployment, type ListeningProgram} from '../../harness/instances.js'
import {eventually, queryObjects, startRuntimeInstance} from '../../harness/runtimes.js'
import {freePort, scratchDir} from '../../harness/server-process.js'
import {deliveries, finalStatus, sendDeliveries, serialReplay} from '../../harness/webhook-deliveries.js'
import {VISITOR_CREDENTIAL_HEADER} from '../../protocol/wire.js'
import {createStripeClient} from '../../server/stripe/client.js'
import {visitorIdentity} from '../../server/visitor/identity.js'

const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
const visitorSecret = randomBytes(32).toString('hex')
let emulator: ListeningProgram
let server: ListeningProgram
/** Without `DATABASE_URL`; for Workers `databasePath` is the folder wrangler dev keeps its objects in. */
let deployment: FileDeployment

before(async () => {
  const port = await freePort()
  emulator = await startEmulatorProgram({webhookSecret, webhookUrl: `http://127.0.0.1:${port}/webhook`})
  deployment = {emulatorUrl: emulator.url, webhookSecret, visitorSecret, databasePath: scratchDir('identity-verify-objects-')}
  server = await startRuntimeInstance('workers', deployment, port)
})

after(async () => {
  await server?.stop()
  await emulator?.stop()
})

/** Stops wrangler, runs `read` on the files it left, and starts it again on them (same port). */
async function whileStopped<T>(read: () => T): Promise<T> {
  await server.stop()
  const value = read()
  server = await startRuntimeInstance('workers', deployment, server.port)
  return value
}

/** A visitor cookie for the Worker, signed with its `VISITOR_SECRET` as its own pages would set it. */
async function visitorCookie(): Promise<{cookie: string; visitor: string}> {
  const identity = visitorIdentity({secret: visitorSecret, publicUrl: server.url})
  const page = new Hono().use(identity.middleware).get('/', (c) => c.html(''))
  const answer = await page.request('/')
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0]!
  const visitor = decodeURIComponent(cookie.split('=')[1]!).split('.')[0]!
  return {cookie, visitor}
}

describe('the Worker on Durable Objects, without DATABASE_URL', () => {
  it('verifies a visitor through the routes and the signed webhook, and still knows them verified after a restart', async () => {
    const origin = server.url
    const created = await fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {Origin: origin}})
    assert.equal(created.status, 200, await created.clone().text())
    const {client_secret: clientSecret} = (await created.json()) as {client_secret: string}
    const credential = created.headers.get(VISITOR_CREDENTIAL_HEADER)!
    const sessionId = clientSecret.split('_secret_')[0]!
    const played = await fetch(`${emulator.url}/emulator/verification_sessions/${sessionId}/submit`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({outcome: 'verified', client_secret: clientSecret}),
    })
    assert.equal(played.status, 200, await played.clone().text())

    const status = async () => {
      const answer = await fetch(`${server.url}/verification-session`, {headers: {Origin: origin, [VISITOR_CREDENTIAL_HEADER]: credential}})
      return answer.status === 200 ? await answer.json() : `${answer.status}`
    }
    const verified = {id: sessionId, status: 'verified', last_error: null}
    await eventually(async () => (JSON.stringify(await status()) === JSON.stringify(verified) ? true : undefined), 'the status route to answer verified')

    const rows = await whileStopped(() =>
      queryObjects<{id: string; type: string}>(deployment.databasePath, 'SELECT id, type FROM events WHERE session_id = ? ORDER BY created', [sessionId]),
    )
    assert.ok(
      rows.some((row) => row.type === 'identity.verification_session.verified' && row.id.startsWith('evt_')),
      JSON.stringify(rows),
    )
    assert.deepEqual(await status(), verified)
    // The webhook, health check and setup check still answer after the restart.
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
    for (const path of ['/', '/confirmation', '/embed']) assert.equal((await fetch(`${server.url}${path}`)).status, 200, path)
  })

  it('gives one visitor’s 20 concurrent creates one Stripe session and at most the per-user limit of answers', async () => {
    const {cookie, visitor} = await visitorCookie()
    const answers = await Promise.all(
      Array.from({length: 20}, async () => {
        const response = await fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {cookie}})
        return {status: response.status, body: (await response.json()) as {client_secret?: string}, retryAfter: response.headers.get('retry-after')}
      }),
    )
    const ok = answers.filter((answer) => answer.status === 200)
    assert.ok(ok.length >= 1 && ok.length <= 10, `${ok.length} answers 200: ${JSON.stringify(answers.map((answer) => answer.status))}`)
    for (const answer of answers.filter((answer) => answer.status !== 200)) {
      assert.equal(answer.status, 429)
      assert.ok(Number(answer.retryAfter) >= 1)
    }
    assert.equal(new Set(ok.map((answer) => answer.body.client_secret!.split('_secret_')[0])).size, 1)
    const stripe = createStripeClient({secretKey: 'sk_test_objects', emulatorUrl: emulator.url, maxNetworkRetries: 2})
    const atStripe = (await stripe.identity.verificationSessions.list({limit: 100})).data.filter((session) => session.client_reference_id === visitor)
    assert.equal(atStripe.length, 1)
  })

  it('records 10,000 shuffled deliveries for 1,000 sessions, 20 % duplicates, sent concurrently, exactly as a serial replay', async () => {
    const list = deliveries('objects', 1000)
    assert.equal(list.length, 10_000)
    const {acknowledged, failures} = await sendDeliveries([server.url], list, webhookSecret, {concurrency: 16})
    assert.deepEqual(failures, {})
    assert.equal(acknowledged.size, 8000)

    type Row = {id: string; user_ref: string; status: string; last_error_code: string | null; redacted: number; submitted_at: number | null}
    const [rows, submissions] = await whileStopped(() => [
      queryObjects<Row>(deployment.databasePath, `SELECT id, user_ref, status, last_error_code, redacted, submitted_at FROM sessions WHERE id LIKE 'vs_objects_%'`),
      queryObjects<{session_id: string; submitted_at: number}>(
        deployment.databasePath,
        `SELECT session_id, submitted_at FROM submitted_sessions WHERE session_id LIKE 'vs_objects_%'`,
        [],
        'SubmissionsObject',
      ),
    ])
    const kept = new Map(rows.map((row) => [row.id, row]))
    assert.equal(rows.length, 1000, 'one row per session, in one object')
    const replay = await serialReplay(list, webhookSecret)
    for (let i = 0; i < 1000; i++) {
      const id = `vs_objects_${i}`
      const expected = (await replay.getSession(id))!
      assert.equal(expected.status, finalStatus(i), id)
      assert.deepEqual(kept.get(id), {
        id,
        user_ref: expected.userRef,
        status: expected.status,
        last_error_code: expected.lastErrorCode,
        redacted: expected.redacted ? 1 : 0,
        submitted_at: expected.submittedAt,
      })
    }
    // The daily guard's count was told each submission once, with the time the session keeps.
    const submittedAt = new Map(submissions.map((row) => [row.session_id, row.submitted_at]))
    assert.equal(submissions.length, rows.filter((row) => row.submitted_at !== null).length)
    for (const row of rows) if (row.submitted_at !== null) assert.equal(submittedAt.get(row.id), row.submitted_at, row.id)
    await replay.close()
  })
})
