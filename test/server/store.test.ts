import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {EVENT_RETENTION_MS, openSqliteStore} from '../../server/sqlite-store.js'
import type {VerificationEventRecord} from '../../server/verification-store.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-store-'))
after(() => rmSync(folder, {recursive: true, force: true}))

const DAY = 24 * 60 * 60 * 1000

function verifiedEvent(eventId: string, receivedAt: number, sessionId = 'vs_1'): VerificationEventRecord {
  return {
    eventId,
    type: 'identity.verification_session.verified',
    created: Math.floor(receivedAt / 1000),
    receivedAt,
    session: {id: sessionId, userRef: 'user_1', status: 'verified', lastErrorCode: null, createdAt: receivedAt - 1000},
    status: 'verified',
    redacted: false,
  }
}

describe('openSqliteStore', () => {
  it('creates its folder, the schema at version 1, in WAL mode', () => {
    const path = join(folder, 'nested', 'deeper', 'store.sqlite')
    const store = openSqliteStore(path)
    store.close()
    assert.ok(existsSync(path))
    const db = new Database(path, {readonly: true})
    assert.equal(db.pragma('user_version', {simple: true}), 1)
    assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
    db.close()
  })

  it('keeps its data across reopening and does not migrate twice', async () => {
    const path = join(folder, 'reopen.sqlite')
    const first = openSqliteStore(path)
    await first.insertSession({id: 'vs_keep', userRef: 'user_keep', status: 'requires_input', createdAt: Date.now()})
    await first.close()
    const second = openSqliteStore(path)
    assert.equal((await second.latestSession('user_keep'))?.id, 'vs_keep')
    await second.close()
  })

  it('records events that arrive together in one commit, each answered once it is on disk', async () => {
    const path = join(folder, 'group-commit.sqlite')
    const store = openSqliteStore(path)
    const t = Date.now()
    const events = Array.from({length: 20}, (_, i) => verifiedEvent(`evt_group_${i}`, t, `vs_group_${i}`))
    // A session without a creation time breaks a NOT NULL constraint: that event fails, alone.
    const broken = verifiedEvent('evt_group_broken', t, 'vs_group_broken')
    broken.session = {...broken.session, createdAt: undefined as unknown as number}
    const reader = new Database(path, {readonly: true})
    const countEvents = () => (reader.prepare('SELECT count(*) AS n FROM events').get() as {n: number}).n
    const answers = Promise.allSettled([...events.slice(0, 10), broken, ...events.slice(10)].map((event) => store.recordEvent(event)))
    assert.equal(countEvents(), 0, 'nothing is written before the batch commits')
    const settled = await answers
    assert.deepEqual(settled.map((answer) => answer.status), [...Array(10).fill('fulfilled'), 'rejected', ...Array(10).fill('fulfilled')])
    assert.match(String((settled[10] as PromiseRejectedResult).reason), /NOT NULL/)
    // Another connection sees every recorded event the moment its caller is answered.
    assert.equal(countEvents(), 20)
    assert.equal((await store.getSession('vs_group_19'))?.status, 'verified')
    assert.equal(await store.getSession('vs_group_broken'), null)
    reader.close()
    store.close()
  })

  it('records the events still waiting when it is closed', async () => {
    const path = join(folder, 'close-pending.sqlite')
    const store = openSqliteStore(path)
    const answer = store.recordEvent(verifiedEvent('evt_pending', Date.now(), 'vs_pending'))
    store.close()
    assert.equal((await answer).kind, 'recorded')
    const reopened = openSqliteStore(path)
    assert.equal((await reopened.getSession('vs_pending'))?.status, 'verified')
    reopened.close()
    await assert.rejects(async () => reopened.recordEvent(verifiedEvent('evt_late', Date.now())), /not open/)
  })

  it('refuses a database written by a newer version', () => {
    const path = join(folder, 'newer.sqlite')
    const db = new Database(path)
    db.pragma('user_version = 99')
    db.close()
    assert.throws(() => openSqliteStore(path), /newer than this server/)
  })

  it('has no column for client secrets, URLs or verified outputs', () => {
    const path = join(folder, 'columns.sqlite')
    openSqliteStore(path).close()
    const db = new Database(path, {readonly: true})
    const columns = (['sessions', 'events'] as const).flatMap((table) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as {name: string}[]).map((column) => column.name),
    )
    db.close()
    assert.ok(columns.includes('status'))
    for (const column of columns) assert.doesNotMatch(column, /secret|url|output|name|dob|address|document/i)
  })

  it('returns a user’s newest session', async () => {
    const store = openSqliteStore(':memory:')
    await store.insertSession({id: 'vs_old', userRef: 'u', status: 'requires_input', createdAt: 1000})
    await store.insertSession({id: 'vs_new', userRef: 'u', status: 'requires_input', createdAt: 2000})
    await store.insertSession({id: 'vs_other', userRef: 'v', status: 'requires_input', createdAt: 3000})
    assert.equal((await store.latestSession('u'))?.id, 'vs_new')
    assert.equal(await store.countSessions('u'), 2)
    assert.equal(await store.latestSession('nobody'), null)
  })

  it('remembers event ids for three days and forgets them after the retention', async () => {
    const t0 = Date.UTC(2026, 0, 1)
    const store = openSqliteStore(':memory:')
    assert.equal((await store.recordEvent(verifiedEvent('evt_old', t0))).kind, 'recorded')
    await store.recordEvent(verifiedEvent('evt_mid', t0 + 3 * DAY, 'vs_2'))
    assert.equal((await store.recordEvent(verifiedEvent('evt_old', t0 + 3 * DAY))).kind, 'duplicate', 'still known after three days')
    await store.recordEvent(verifiedEvent('evt_late', t0 + EVENT_RETENTION_MS + 1, 'vs_3'))
    assert.equal((await store.recordEvent(verifiedEvent('evt_old', t0 + EVENT_RETENTION_MS + 2))).kind, 'recorded', 'forgotten')
    assert.equal((await store.recordEvent(verifiedEvent('evt_mid', t0 + EVENT_RETENTION_MS + 2, 'vs_2'))).kind, 'duplicate')
    assert.ok(EVENT_RETENTION_MS >= 3 * DAY)
  })

  it('records nothing when two events of the same second disagree, until told the resolved status', async () => {
    const store = openSqliteStore(':memory:')
    const t = Date.UTC(2026, 0, 1)
    await store.recordEvent({...verifiedEvent('evt_a', t), type: 'identity.verification_session.processing', status: 'processing'})
    const tie = {...verifiedEvent('evt_b', t), type: 'identity.verification_session.requires_input', status: 'requires_input' as const}
    tie.session = {...tie.session, status: 'requires_input', lastErrorCode: 'document_expired'}
    assert.deepEqual(await store.recordEvent(tie), {kind: 'tie'})
    assert.equal((await store.getSession('vs_1'))?.status, 'processing')
    const outcome = await store.recordEvent({...tie, resolved: {status: 'requires_input', lastErrorCode: 'document_expired'}})
    assert.equal(outcome.kind, 'recorded')
    assert.equal((await store.getSession('vs_1'))?.lastErrorCode, 'document_expired')
  })

  it('marks an event handled so its redelivery reports it', async () => {
    const store = openSqliteStore(':memory:')
    const event = verifiedEvent('evt_h', Date.now())
    await store.recordEvent(event)
    const before = await store.recordEvent(event)
    assert.equal(before.kind === 'duplicate' && before.handled, false)
    await store.markEventHandled('evt_h')
    const afterMark = await store.recordEvent(event)
    assert.equal(afterMark.kind === 'duplicate' && afterMark.handled, true)
  })

  it('records an event with nothing left to run as handled in the same write', async () => {
    const store = openSqliteStore(':memory:')
    const event = {...verifiedEvent('evt_done', Date.now()), handled: true}
    const first = await store.recordEvent(event)
    assert.equal(first.kind === 'recorded' && first.handled, false, 'the first delivery is not a redelivery')
    const again = await store.recordEvent(event)
    assert.equal(again.kind === 'duplicate' && again.handled, true)
  })
})
