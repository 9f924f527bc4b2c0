/**
 * `POST /webhook` on the SQLite store's inbox (a store on disk, no hooks): answered once the event is
 * on disk, recorded and logged in the batch after, ties settled with Stripe's status afterwards.
 */
import assert from 'node:assert/strict'
import fs, {mkdtempSync, rmSync} from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it, mock} from 'node:test'
import {createLogger} from '../../../server/log/logger.js'
import {openSqliteStore} from '../../../server/store/sqlite/index.js'
import type {VerificationStore} from '../../../server/store/store.js'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {deliver, emulatorSuite, sessionEvent, stripeClient, testApp} from '../fixtures.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-webhook-inbox-'))
const stores: VerificationStore[] = []
after(async () => {
  for (const store of stores) await store.close()
  rmSync(folder, {recursive: true, force: true})
})

function openStore(name: string): VerificationStore {
  const store = openSqliteStore(join(folder, `${name}.sqlite`))
  stores.push(store)
  return store
}

/** The log lines an app writes, parsed. */
function logged(): {lines: Record<string, unknown>[]; logger: ReturnType<typeof createLogger>} {
  const lines: Record<string, unknown>[] = []
  return {lines, logger: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>))}
}

async function until(condition: () => Promise<boolean> | boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > end) assert.fail(`${what} within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const now = () => Math.floor(Date.now() / 1000)

describe('POST /webhook on the SQLite store’s inbox', () => {
  const suite = emulatorSuite()

  it('answers 200 once the event is on disk, then records it and logs one line for it', async () => {
    const store = openStore('answered')
    assert.ok(store.acceptEvent, 'a store on disk has an inbox')
    const {lines, logger} = logged()
    const {app} = testApp({store, logger})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_inbox_1', status: 'verified'}, now())
    const res = await deliver(app, event)
    assert.equal(res.status, 200)
    // A read records every event answered before it.
    assert.equal((await store.getSession('vs_inbox_1'))?.status, 'verified')
    await until(() => lines.length > 0, 'the event is logged')
    assert.deepEqual(lines.map(({msg, event: id, status, redelivery}) => ({msg, id, status, redelivery})), [
      {msg: 'webhook event recorded', id: event.id, status: 'verified', redelivery: false},
    ])

    assert.equal((await deliver(app, event)).status, 200)
    await until(() => lines.length > 1, 'the redelivery is logged')
    assert.deepEqual(lines.slice(1).map(({msg, event: id}) => ({msg, id})), [{msg: 'webhook event already handled', id: event.id}])
  })

  it('settles an event that ties with the session’s status at Stripe, after answering it', async () => {
    const store = openStore('tie')
    const {lines, logger} = logged()
    const {app} = suite.appWith({store, logger})
    const session = await stripeClient(suite.emulator.url).identity.verificationSessions.create({
      type: 'document',
      client_reference_id: 'user_tie',
      metadata: {user_id: 'user_tie'},
    })
    assert.equal(session.status, 'requires_input')
    const t = now()
    const processing = sessionEvent(EVENTS.processing, {id: session.id, status: 'processing', userRef: 'user_tie'}, t)
    const requiresInput = sessionEvent(EVENTS.requires_input, {id: session.id, status: 'requires_input', userRef: 'user_tie', lastErrorCode: 'document_expired'}, t)
    assert.equal((await deliver(app, processing)).status, 200)
    assert.equal((await store.getSession(session.id))?.status, 'processing')
    // Same second, another status: answered at once, recorded once Stripe says which is current.
    assert.equal((await deliver(app, requiresInput)).status, 200)
    await until(async () => (await store.getSession(session.id))?.status === 'requires_input', 'Stripe’s status is recorded')
    assert.deepEqual(await store.pendingEvents!(), [])
    await until(() => lines.some((line) => line.event === requiresInput.id), 'the settled event is logged')
    assert.deepEqual(
      lines.filter((line) => line.event === requiresInput.id).map(({msg, status}) => ({msg, status})),
      [{msg: 'webhook event recorded', status: 'requires_input'}],
    )
  })

  it('keeps a tie of a session Stripe does not know, logging it once instead of asking again', async () => {
    const store = openStore('unknown-session')
    const {lines, logger} = logged()
    const {app} = suite.appWith({store, logger})
    const t = now()
    const tie = sessionEvent(EVENTS.requires_input, {id: 'vs_not_at_stripe', status: 'requires_input', userRef: 'user_unknown'}, t)
    assert.equal((await deliver(app, sessionEvent(EVENTS.processing, {id: 'vs_not_at_stripe', status: 'processing', userRef: 'user_unknown'}, t))).status, 200)
    assert.equal((await deliver(app, tie)).status, 200)
    await until(() => lines.some((line) => line.level === 'error'), 'the kept event is logged')
    // Past the first retry's pause (1 s) nothing more is asked or logged.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.deepEqual(
      lines.filter((line) => line.event === tie.id).map(({level, msg, session}) => ({level, msg, session})),
      [{level: 'error', msg: 'webhook event kept, Stripe has no such session: tried again at the next start', session: 'vs_not_at_stripe'}],
    )
    assert.deepEqual((await store.pendingEvents!()).map((event) => event.eventId), [tie.id])
  })

  it('keeps a tie while Stripe cannot be reached, and settles it after a restart', async () => {
    const path = join(folder, 'restart.sqlite')
    const first = openSqliteStore(path)
    const unreachable = logged()
    // stripe-node pointed at a closed port.
    const {app} = testApp({store: first, logger: unreachable.logger, stripe: stripeClient()})
    const session = await stripeClient(suite.emulator.url).identity.verificationSessions.create({type: 'document', client_reference_id: 'user_later'})
    const t = now()
    const events = [
      sessionEvent(EVENTS.processing, {id: session.id, status: 'processing', userRef: 'user_later'}, t),
      sessionEvent(EVENTS.requires_input, {id: session.id, status: 'requires_input', userRef: 'user_later'}, t),
    ]
    for (const event of events) assert.equal((await deliver(app, event)).status, 200)
    await until(() => unreachable.lines.some((line) => line.msg === 'webhook event not recorded yet, trying again'), 'the wait is logged')
    assert.deepEqual((await first.pendingEvents!()).map((event) => event.eventId), [events[1]!.id])
    await first.close()

    const second = openStore('restart')
    const reachable = logged()
    suite.appWith({store: second, logger: reachable.logger})
    await until(async () => (await second.pendingEvents!()).length === 0, 'the kept event is settled')
    assert.equal((await second.getSession(session.id))?.status, 'requires_input')
    // Logged once the store answered, which may be a moment after the row changed.
    await until(() => reachable.lines.some((line) => line.msg === 'webhook event recorded' && line.event === events[1]!.id), 'the settled event is logged')
  })

  it('answers 500 when the disk fails a write of the inbox, then records each event before answering it', async () => {
    const {lines, logger} = logged()
    const store = openSqliteStore(join(folder, 'failing-disk.sqlite'), {logger})
    stores.push(store)
    const {app} = testApp({store, logger})
    const before = sessionEvent(EVENTS.processing, {id: 'vs_disk_1', status: 'processing'}, now())
    assert.equal((await deliver(app, before)).status, 200)

    // The drive fails the inbox's next write, as a dying disk does: node:fs answers EIO.
    let failedWrites = 0
    mock.method(fs, 'write', (...args: unknown[]) => {
      failedWrites++
      const callback = args.at(-1) as (error: NodeJS.ErrnoException) => void
      process.nextTick(callback, Object.assign(new Error('EIO: i/o error, write'), {code: 'EIO', errno: -5, syscall: 'write'}))
    })
    syncBuiltinESMExports()
    const failing = sessionEvent(EVENTS.verified, {id: 'vs_disk_2', status: 'verified'}, now())
    let answer: Response
    try {
      answer = await deliver(app, failing)
    } finally {
      mock.restoreAll()
      syncBuiltinESMExports()
    }
    assert.equal(failedWrites, 1)
    assert.equal(answer.status, 500)
    assert.equal(((await answer.json()) as {error: {code: string}}).error.code, 'webhook_failed')
    assert.deepEqual(
      lines.filter((line) => line.level === 'error').map(({msg, event}) => ({msg, event})),
      [{msg: 'webhook event failed, Stripe will deliver it again', event: failing.id}],
    )

    // Stripe delivers it again: recorded and synced before its answer, the inbox left alone, which
    // the store says once.
    assert.equal((await deliver(app, failing)).status, 200)
    const after = sessionEvent(EVENTS.processing, {id: 'vs_disk_3', status: 'processing'}, now())
    assert.equal((await deliver(app, after)).status, 200)
    for (const [id, status] of [['vs_disk_1', 'processing'], ['vs_disk_2', 'verified'], ['vs_disk_3', 'processing']]) {
      assert.equal((await store.getSession(id!))?.status, status, id)
    }
    await until(() => lines.filter((line) => line.msg === 'webhook event recorded').length === 3, 'each recorded event is logged')
    assert.deepEqual(
      lines.filter((line) => line.level === 'error').slice(1).map(({msg, error}) => ({msg, error})),
      [
        {
          msg: 'SQLite store: a write of its inbox failed, each webhook event is now recorded before its answer',
          error: {name: 'Error', message: 'EIO: i/o error, write'},
        },
      ],
    )
    await store.close()

    // Nothing is lost across a restart, and the next start has an inbox again.
    const reopened = openStore('failing-disk')
    assert.ok(reopened.acceptEvent, 'the inbox is back')
    assert.equal((await reopened.getSession('vs_disk_2'))?.status, 'verified')
    assert.equal((await reopened.getSession('vs_disk_3'))?.status, 'processing')
    assert.equal((await deliver(testApp({store: reopened}).app, failing)).status, 200)
  })
})
