/**
 * Two `npm start` processes on one PostgreSQL database and one emulator, as behind a load balancer:
 * what must hold across them is kept in the database, so it holds whichever instance answers, when
 * one of them is killed, and when the database itself goes away for a while.
 */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, before, describe, it} from 'node:test'
import {startInstance, startEmulatorProgram, type Deployment, type ListeningProgram} from '../../harness/instances.js'
import {queryPostgres, startPostgres, type TestPostgres} from '../../harness/postgres.js'
import {freePort} from '../../harness/server-process.js'
import {openPostgresStore} from '../../server/store/postgres/index.js'
import {createStripeClient} from '../../server/stripe/client.js'
import type {VerificationStore} from '../../server/store/store.js'
import type {VerificationRecord} from '../../server/rules/records.js'
import {deliveries, finalStatus, sendDeliveries, serialReplay, type Delivery, type LoadOptions} from '../../harness/webhook-deliveries.js'

const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('hex')}`

let postgres: TestPostgres
let emulator: ListeningProgram
let deployment: Deployment
let instances: ListeningProgram[]
/** The test's own view of the shared database. */
let store: VerificationStore

before(async () => {
  postgres = await startPostgres()
  const databaseUrl = await postgres.createDatabase('scale')
  const firstPort = await freePort()
  // One emulator for both instances, delivering its webhooks to one URL (the first instance).
  emulator = await startEmulatorProgram({webhookSecret: WEBHOOK_SECRET, webhookUrl: `http://127.0.0.1:${firstPort}/webhook`})
  deployment = {databaseUrl, emulatorUrl: emulator.url, webhookSecret: WEBHOOK_SECRET, visitorSecret: randomBytes(32).toString('hex'), poolSize: 5}
  // Both start at once: the migrations run once, the other waits for them.
  instances = await Promise.all([startInstance(deployment, firstPort), startInstance(deployment)])
  store = await openPostgresStore(databaseUrl, {poolSize: 2})
})

after(async () => {
  await store?.close()
  for (const instance of instances ?? []) await instance.stop()
  await emulator?.stop()
  postgres?.destroy()
})

/** Sends the deliveries over the instances, taking turns (see `sendDeliveries`). */
const load = (list: readonly Delivery[], options: LoadOptions = {}) =>
  sendDeliveries(
    instances.map((instance) => instance.url),
    list,
    WEBHOOK_SECRET,
    options,
  )

/** A session as both stores must agree on it: everything but when the row was last written. */
const comparable = (record: VerificationRecord | null) => record && {...record, updatedAt: undefined}

/** Asserts that the shared database holds exactly what the serial replay holds, for every session of the list. */
async function assertSameTable(list: readonly Delivery[], prefix: string, count: number): Promise<void> {
  const replay = await serialReplay(list, WEBHOOK_SECRET)
  for (let i = 0; i < count; i++) {
    const id = `vs_${prefix}_${i}`
    const [shared, expected] = await Promise.all([store.getSession(id), replay.getSession(id)])
    assert.deepEqual(comparable(shared), comparable(expected), id)
    // The replay itself is what the rules say: finals stay, the newest status wins.
    assert.equal(expected?.status, finalStatus(i), id)
    assert.equal(expected?.redacted, i % 10 === 0, id)
  }
  await replay.close()
}

/** Asserts that every acknowledged delivery's event is in the shared database. */
async function assertAcknowledgedKept(acknowledged: ReadonlySet<string>): Promise<void> {
  const ids = [...acknowledged]
  const kept = await queryPostgres<{id: string}>(deployment.databaseUrl, 'SELECT id FROM identity_verify.events WHERE id = ANY($1)', [ids])
  const missing = new Set(ids)
  for (const {id} of kept) missing.delete(id)
  assert.deepEqual([...missing], [], 'acknowledged but not in the database')
}

describe('two instances on one PostgreSQL database and one emulator', () => {
  it('give one visitor’s 20 concurrent creates one Stripe session and at most the per-user limit of answers', async () => {
    const page = await fetch(`${instances[0]!.url}/`)
    await page.arrayBuffer()
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!
    assert.match(cookie, /=/)
    const answers = await Promise.all(
      Array.from({length: 20}, async (_, i) => {
        const response = await fetch(`${instances[i % 2]!.url}/create-verification-session`, {method: 'POST', headers: {cookie}})
        return {status: response.status, body: (await response.json()) as {client_secret?: string}, retryAfter: response.headers.get('retry-after')}
      }),
    )
    const ok = answers.filter((answer) => answer.status === 200)
    assert.ok(ok.length >= 1 && ok.length <= 10, `${ok.length} answers 200`)
    for (const answer of answers.filter((answer) => answer.status !== 200)) {
      assert.equal(answer.status, 429)
      assert.ok(Number(answer.retryAfter) >= 1)
    }
    const sessionIds = new Set(ok.map((answer) => answer.body.client_secret!.split('_secret_')[0]))
    assert.equal(sessionIds.size, 1, `client secrets of ${[...sessionIds].join(', ')}`)
    const stripe = createStripeClient({secretKey: 'sk_test_scale', emulatorUrl: emulator.url})
    const atStripe = await stripe.identity.verificationSessions.list({limit: 100})
    assert.deepEqual(
      atStripe.data.map((session) => session.id),
      [...sessionIds],
    )
  })

  it('record 10,000 shuffled deliveries for 1,000 sessions, 20 % duplicates, split over both, exactly as a serial replay', async () => {
    const list = deliveries('split', 1000)
    assert.equal(list.length, 10_000)
    const {acknowledged, failures} = await load(list)
    assert.deepEqual(failures, {})
    assert.equal(acknowledged.size, 8000)
    await assertSameTable(list, 'split', 1000)
  })

  it('lose no acknowledged delivery when one instance is killed (kill -9) mid-load', async () => {
    const list = deliveries('killed', 250)
    const victim = instances[1]!
    const {acknowledged, failures} = await load(list, {atProgress: {share: 0.3, run: () => void process.kill(victim.pid, 'SIGKILL')}})
    assert.ok(failures[0]! > 0, 'deliveries to the killed instance failed and went to the other')
    await victim.exited
    await assertAcknowledgedKept(acknowledged)
    await assertSameTable(list, 'killed', 250)
    instances[1] = await startInstance(deployment, victim.port)
  })

  it('acknowledge nothing uncommitted while the database is down, answer creates and statuses 503, and finish once it is back', async () => {
    const list = deliveries('outage', 250)
    const page = await fetch(`${instances[1]!.url}/`)
    await page.arrayBuffer()
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!
    const whileDown: {create?: Response; status?: Response} = {}
    const {acknowledged, failures} = await load(list, {
      atProgress: {
        share: 0.3,
        async run() {
          postgres.stop('immediate')
          whileDown.create = await fetch(`${instances[0]!.url}/create-verification-session`, {method: 'POST', headers: {cookie}})
          whileDown.status = await fetch(`${instances[1]!.url}/verification-session`, {headers: {cookie}})
          await new Promise((resolve) => setTimeout(resolve, 1500))
          postgres.start()
        },
      },
    })
    assert.ok(failures[500]! > 0, 'webhooks answered 500 while the database was down')
    assert.deepEqual(Object.keys(failures), ['500'])
    assert.equal(whileDown.create!.status, 503)
    assert.ok(Number(whileDown.create!.headers.get('retry-after')) >= 1)
    assert.equal(((await whileDown.create!.json()) as {error: {code: string}}).error.code, 'store_unavailable')
    assert.equal(whileDown.status!.status, 503)
    await assertAcknowledgedKept(acknowledged)
    await assertSameTable(list, 'outage', 250)
    // The instances recovered by themselves (the create of this visitor would now meet the daily
    // cap: the loads above submitted a thousand sessions today).
    const again = await fetch(`${instances[1]!.url}/verification-session`, {headers: {cookie}})
    assert.equal(again.status, 204)
  })
})
