/**
 * Two `npm start` processes on one PostgreSQL database and one emulator, as behind a load balancer:
 * what must hold across them is kept in the database, so it holds whichever instance answers, when
 * one of them is killed, and when the database itself goes away for a while.
 */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {after, before, describe, it} from 'node:test'
import Stripe from 'stripe'
import {startInstance, startEmulatorProgram, type Deployment, type ListeningProgram} from '../../harness/instances.js'
import {queryPostgres, startPostgres, type TestPostgres} from '../../harness/postgres.js'
import {freePort} from '../../harness/server-process.js'
import {createApp} from '../../server/app.js'
import {openPostgresStore} from '../../server/store/postgres/index.js'
import {openSqliteStore} from '../../server/store/sqlite/index.js'
import {createStripeClient} from '../../server/stripe/client.js'
import type {VerificationStore} from '../../server/store/store.js'
import type {VerificationRecord} from '../../server/rules/records.js'
import {VERIFICATION_EVENT_TYPES, type VerificationStatus} from '../../protocol/verification-status.js'

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

/** One signed delivery of an event, as Stripe sends it. */
interface Delivery {
  eventId: string
  payload: string
}

/** The status session `i` of `deliveries` ends with: the one its newest event shows. */
function finalStatus(i: number): VerificationStatus {
  if (i % 3 === 0) return 'verified'
  if (i % 3 === 1) return 'canceled'
  return i % 10 === 0 ? 'processing' : 'requires_input'
}

/**
 * The events of `count` sessions (`<prefix>_<i>`), eight each with growing `created`: they are
 * submitted and sent back for more input, then one in three is verified and one in three canceled
 * at the fourth, and later events (late ones, after a final status) keep arriving; one in ten is
 * redacted last. Then one in five deliveries again (a duplicate) and all of it shuffled.
 */
function deliveries(prefix: string, count: number): Delivery[] {
  const unique: Delivery[] = []
  const base = Math.floor(Date.now() / 1000) - 3600
  for (let i = 0; i < count; i++) {
    for (let round = 0; round < 8; round++) {
      let status: VerificationStatus | 'redacted' = round % 2 === 0 ? 'processing' : 'requires_input'
      if (round === 3 && i % 3 === 0) status = 'verified'
      if (round === 3 && i % 3 === 1) status = 'canceled'
      if (round === 7 && i % 10 === 0) status = 'redacted'
      // A redacted session keeps the status it had: its newest.
      const sessionStatus: VerificationStatus = status === 'redacted' ? finalStatus(i) : status
      const eventId = `evt_${prefix}_${i}_${round}`
      const event = {
        id: eventId,
        object: 'event',
        created: base + round,
        type: VERIFICATION_EVENT_TYPES[status],
        data: {
          object: {
            id: `vs_${prefix}_${i}`,
            object: 'identity.verification_session',
            client_reference_id: `user_${prefix}_${i}`,
            metadata: {user_id: `user_${prefix}_${i}`},
            created: base - 60,
            status: sessionStatus,
            last_error: sessionStatus === 'requires_input' ? {code: round % 4 === 1 ? 'document_expired' : 'document_unverified_other'} : null,
            redaction: null,
          },
        },
      }
      unique.push({eventId, payload: JSON.stringify(event)})
    }
  }
  const all = [...unique]
  for (let n = 0; n < unique.length / 4; n++) all.push(unique[Math.floor(Math.random() * unique.length)]!)
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[all[i], all[j]] = [all[j]!, all[i]!]
  }
  return all
}

const sign = (payload: string) => Stripe.webhooks.generateTestHeaderString({payload, secret: WEBHOOK_SECRET})

/** POSTs one delivery to `url`; its HTTP status, or 0 when the connection failed. */
async function post(url: string, {payload}: Delivery): Promise<number> {
  try {
    const response = await fetch(`${url}/webhook`, {
      method: 'POST',
      headers: {'content-type': 'application/json', 'stripe-signature': sign(payload)},
      body: payload,
      signal: AbortSignal.timeout(15_000),
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}

/** What a load observed. */
interface LoadResult {
  /** Event ids of the deliveries some instance answered 200. */
  acknowledged: Set<string>
  /** Every answer other than 200, by status (0: no connection). */
  failures: Record<number, number>
}

/**
 * Sends the deliveries over the instances at `concurrency`, taking turns, the way Stripe does:
 * each until it is answered 200, trying again (on the next instance) after a failure. `atProgress`
 * runs once when that share of the deliveries has been sent.
 */
async function load(
  list: readonly Delivery[],
  {concurrency = 16, atProgress}: {concurrency?: number; atProgress?: {share: number; run(): void | Promise<void>}} = {},
): Promise<LoadResult> {
  const acknowledged = new Set<string>()
  const failures: Record<number, number> = {}
  let next = 0
  let triggered: Promise<void> | null = null
  const worker = async () => {
    while (next < list.length) {
      const index = next++
      if (atProgress && !triggered && index >= list.length * atProgress.share) triggered = Promise.resolve(atProgress.run())
      const delivery = list[index]!
      const deadline = Date.now() + 60_000
      for (let attempt = index; ; attempt++) {
        const status = await post(instances[attempt % instances.length]!.url, delivery)
        if (status === 200) {
          acknowledged.add(delivery.eventId)
          break
        }
        failures[status] = (failures[status] ?? 0) + 1
        if (Date.now() > deadline) throw new Error(`${delivery.eventId} still not recorded after a minute (last answer ${status})`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }
  await Promise.all(Array.from({length: concurrency}, worker))
  await triggered
  return {acknowledged, failures}
}

/** The sessions a serial replay of the deliveries, one at a time through one server, leaves. */
async function serialReplay(list: readonly Delivery[]): Promise<VerificationStore> {
  const replayStore = openSqliteStore(':memory:')
  const app = createApp({
    stripe: createStripeClient({secretKey: 'sk_test_replay', emulatorUrl: 'http://127.0.0.1:9', maxNetworkRetries: 0}),
    webhookSecret: WEBHOOK_SECRET,
    store: replayStore,
    publicUrl: 'http://localhost',
    authenticate: () => null,
  })
  for (const {payload} of list) {
    const response = await app.request('/webhook', {
      method: 'POST',
      headers: {'content-type': 'application/json', 'stripe-signature': sign(payload)},
      body: payload,
    })
    assert.equal(response.status, 200)
  }
  return replayStore
}

/** A session as both stores must agree on it: everything but when the row was last written. */
const comparable = (record: VerificationRecord | null) => record && {...record, updatedAt: undefined}

/** Asserts that the shared database holds exactly what the serial replay holds, for every session of the list. */
async function assertSameTable(list: readonly Delivery[], prefix: string, count: number): Promise<void> {
  const replay = await serialReplay(list)
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
