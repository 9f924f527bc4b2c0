import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {EVENT_RETENTION_MS, openSqliteStoreSync} from '../../server/sqlite-store.js'
import {openSqliteStore} from '../../server/sqlite-writer.js'
import type {VerificationEventRecord} from '../../server/verification-store.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-store-'))
after(() => rmSync(folder, {recursive: true, force: true}))

const DAY = 24 * 60 * 60 * 1000

function verifiedEvent(eventId: string, receivedAt: number, sessionId = 'vs_1', status: 'verified' | 'processing' = 'verified'): VerificationEventRecord {
  return {
    eventId,
    type: `identity.verification_session.${status}`,
    created: Math.floor(receivedAt / 1000),
    receivedAt,
    session: {id: sessionId, userRef: 'user_1', status, lastErrorCode: null, createdAt: receivedAt - 1000},
    status,
    redacted: false,
  }
}

describe('openSqliteStore', () => {
  it('creates its folder, the schema at version 2, in WAL mode', () => {
    const path = join(folder, 'nested', 'deeper', 'store.sqlite')
    const store = openSqliteStore(path)
    store.close()
    assert.ok(existsSync(path))
    const db = new Database(path, {readonly: true})
    assert.equal(db.pragma('user_version', {simple: true}), 2)
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
    // The synchronous store, whose commit cannot start before this test has read the table once.
    const store = openSqliteStoreSync(path)
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

  it('upgrades a version 1 database, keeping its sessions and events', async () => {
    const path = join(folder, 'version-1.sqlite')
    const old = new Database(path)
    // The schema as version 1 wrote it.
    old.exec(`CREATE TABLE sessions (
       id TEXT PRIMARY KEY, user_ref TEXT NOT NULL, status TEXT NOT NULL, last_error_code TEXT,
       redacted INTEGER NOT NULL DEFAULT 0, status_event_created INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
     );
     CREATE INDEX sessions_by_user ON sessions (user_ref, created_at);
     CREATE TABLE events (
       id TEXT PRIMARY KEY, type TEXT NOT NULL, session_id TEXT NOT NULL, created INTEGER NOT NULL,
       received_at INTEGER NOT NULL, handled INTEGER NOT NULL DEFAULT 0
     );
     CREATE INDEX events_by_received_at ON events (received_at);`)
    const t = Date.UTC(2026, 0, 1)
    old.prepare(`INSERT INTO sessions VALUES ('vs_v1', 'user_v1', 'processing', NULL, 0, ?, ?, ?)`).run(t / 1000, t, t)
    old.prepare(`INSERT INTO events VALUES ('evt_v1', 'identity.verification_session.processing', 'vs_v1', ?, ?, 1)`).run(t / 1000, t)
    old.pragma('user_version = 1')
    old.close()

    const store = openSqliteStoreSync(path, {now: () => t})
    assert.deepEqual(await store.getSession('vs_v1'), {
      id: 'vs_v1', userRef: 'user_v1', status: 'processing', lastErrorCode: null, redacted: false, createdAt: t, submittedAt: null, updatedAt: t,
    })
    assert.equal((await store.recordEvent(verifiedEvent('evt_v1', t, 'vs_v1', 'processing'))).kind, 'duplicate')
    // The next event showing the session submitted marks it: a session of version 1 counts from then.
    await store.recordEvent(verifiedEvent('evt_v2', t + 1000, 'vs_v1'))
    assert.equal((await store.getSession('vs_v1'))?.submittedAt, t + 1000)
    assert.equal(await store.countSubmittedSessions(t, t + DAY), 1)
    store.close()
    const db = new Database(path, {readonly: true})
    assert.equal(db.pragma('user_version', {simple: true}), 2)
    db.close()
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

  it('returns a user’s newest verified session whose data was not redacted', async () => {
    const store = openSqliteStore(':memory:')
    const t = Date.UTC(2026, 0, 1)
    assert.equal(await store.verifiedSession('user_1'), null)
    await store.recordEvent(verifiedEvent('evt_v_old', t, 'vs_v_old'))
    await store.recordEvent(verifiedEvent('evt_v_new', t + 5000, 'vs_v_new'))
    await store.insertSession({id: 'vs_open', userRef: 'user_1', status: 'requires_input', createdAt: t + 10_000})
    assert.equal((await store.verifiedSession('user_1'))?.id, 'vs_v_new')
    await store.recordEvent({...verifiedEvent('evt_red', t + 20_000, 'vs_v_new'), type: 'identity.verification_session.redacted', status: null, redacted: true})
    assert.equal((await store.verifiedSession('user_1'))?.id, 'vs_v_old')
    assert.equal((await store.latestSession('user_1'))?.id, 'vs_open')
  })

  it('counts the sessions first submitted in a time range, once each', async () => {
    const store = openSqliteStore(':memory:')
    const day = Date.UTC(2026, 0, 2)
    await store.recordEvent(verifiedEvent('evt_yesterday', day - 1000, 'vs_yesterday', 'processing'))
    await store.recordEvent(verifiedEvent('evt_today_1', day + 1000, 'vs_today_1', 'processing'))
    await store.recordEvent(verifiedEvent('evt_today_1_verified', day + 60_000, 'vs_today_1'))
    await store.recordEvent(verifiedEvent('evt_today_2', day + 2000, 'vs_today_2'))
    await store.insertSession({id: 'vs_created_only', userRef: 'user_1', status: 'requires_input', createdAt: day + 3000})
    assert.equal(await store.countSubmittedSessions(day, day + DAY), 2)
    assert.equal(await store.countSubmittedSessions(day - DAY, day), 1)
    assert.equal((await store.getSession('vs_today_1'))?.submittedAt, day + 1000)
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
