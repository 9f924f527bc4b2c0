import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it, mock} from 'node:test'
import workerThreads, {type Worker} from 'node:worker_threads'
import Database from 'better-sqlite3'
import {EVENT_RETENTION_MS, openSqliteStoreSync} from '../../../server/store/sqlite/connection.js'
import {createLogger} from '../../../server/log/logger.js'
import {openSqliteStore} from '../../../server/store/sqlite/index.js'
import {storeContract, verifiedEvent} from './contract.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-store-'))
after(() => rmSync(folder, {recursive: true, force: true}))

const DAY = 24 * 60 * 60 * 1000

/**
 * Every store thread started until `stop` is called, so that a test can stop one as a crash would:
 * `node:worker_threads`' Worker, wrapped for the modules that import it (`syncBuiltinESMExports`).
 */
function watchThreads(): {threads: Worker[]; exited: () => number; stop: () => void} {
  const threads: Worker[] = []
  let exited = 0
  const RealWorker = workerThreads.Worker
  mock.method(workerThreads, 'Worker', function (this: unknown, ...args: ConstructorParameters<typeof Worker>) {
    const worker = new RealWorker(...args)
    threads.push(worker)
    worker.once('exit', () => exited++)
    return worker
  })
  syncBuiltinESMExports()
  return {
    threads,
    exited: () => exited,
    stop() {
      mock.restoreAll()
      syncBuiltinESMExports()
    },
  }
}

describe('openSqliteStore', () => {
  it('creates its folder, the schema at version 5, in WAL mode', () => {
    const path = join(folder, 'nested', 'deeper', 'store.sqlite')
    const store = openSqliteStore(path)
    store.close()
    assert.ok(existsSync(path))
    const db = new Database(path, {readonly: true})
    assert.equal(db.pragma('user_version', {simple: true}), 5)
    assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
    // Expired event ids are found by rowid: no index that every event would write.
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`).all()
    assert.deepEqual(indexes, [{name: 'sqlite_autoindex_events_1'}])
    db.close()
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
    assert.equal(db.pragma('user_version', {simple: true}), 5)
    db.close()
  })

  it('starts its thread again when the thread stops, failing only the calls it was answering', async () => {
    const path = join(folder, 'thread-restart.sqlite')
    const watch = watchThreads()
    const {threads} = watch
    const lines: Record<string, unknown>[] = []
    let store: ReturnType<typeof openSqliteStore>
    try {
      store = openSqliteStore(path, {logger: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>))})
    } finally {
      watch.stop()
    }
    assert.equal(threads.length, 1)
    const t = Date.now()
    assert.equal((await store.recordEvent(verifiedEvent('evt_before_stop', t, 'vs_before_stop'))).kind, 'recorded')

    const cut = Promise.resolve(store.recordEvent(verifiedEvent('evt_cut', t, 'vs_cut')))
    await threads[0]!.terminate()
    await assert.rejects(cut, /The store thread stopped/)
    assert.deepEqual(
      lines.map(({level, msg, database, retryInMs}) => ({level, msg, database, retryInMs})),
      [{level: 'error', msg: 'SQLite store thread stopped, starting it again', database: path, retryInMs: 100}],
    )
    // During the pause, a call fails at once instead of waiting.
    await assert.rejects(async () => store.recordEvent(verifiedEvent('evt_paused', t, 'vs_paused')), /The store thread stopped/)

    // The next thread answers the calls after it: the cut event, delivered again, is recorded.
    const deadline = Date.now() + 5000
    for (;;) {
      const outcome = await Promise.resolve(store.recordEvent(verifiedEvent('evt_cut', t, 'vs_cut'))).catch(() => null)
      if (outcome) {
        assert.notEqual(outcome.kind, 'tie')
        break
      }
      assert.ok(Date.now() < deadline, 'a new thread answers within 5 s')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    assert.equal((await store.getSession('vs_cut'))?.status, 'verified')
    assert.equal((await store.getSession('vs_before_stop'))?.status, 'verified')
    await store.close()
    await assert.rejects(async () => store.recordEvent(verifiedEvent('evt_closed', t)), /not open/)
    assert.equal(lines.length, 1, 'closing is not a stop to start again from')
    assert.equal(threads.length, 1, 'the test saw the first thread only')
  })

  it('closed during the pause after a stop, records through a new thread, then leaves none running', async () => {
    const path = join(folder, 'thread-closed-in-pause.sqlite')
    const watch = watchThreads()
    const {threads} = watch
    try {
      const store = openSqliteStore(path)
      const {recorded} = await store.acceptEvent!(verifiedEvent('evt_in_pause', Date.now(), 'vs_in_pause'))
      await recorded
      await threads[0]!.terminate()
      // Closing syncs what the inbox holds into SQLite first, which takes a thread: the next one.
      await store.close()
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(threads.length, 2)
      assert.equal(watch.exited(), 2, 'no thread runs once the store is closed')
      const reopened = openSqliteStore(path)
      assert.equal((await reopened.getSession('vs_in_pause'))?.status, 'verified')
      await reopened.close()
      assert.ok(!existsSync(`${path}-inbox-0`), 'the inbox was emptied into SQLite and removed')
    } finally {
      watch.stop()
    }
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
    const columns = (['sessions', 'events', 'pending_events', 'inbox'] as const).flatMap((table) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as {name: string}[]).map((column) => column.name),
    )
    db.close()
    assert.ok(columns.includes('status'))
    for (const column of columns) assert.doesNotMatch(column, /secret|url|output|name|dob|address|document/i)
  })
})

describe('openSqliteStore’s inbox', () => {
  const eventsInTable = (path: string) => {
    const db = new Database(path, {readonly: true})
    try {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as {n: number}).n
    } finally {
      db.close()
    }
  }

  it('answers an accepted event once it is on disk, and a read records it first', async () => {
    const path = join(folder, 'accept.sqlite')
    const store = openSqliteStore(path)
    assert.ok(store.acceptEvent)
    const {recorded} = await store.acceptEvent(verifiedEvent('evt_accept', Date.now(), 'vs_accept'))
    assert.equal(eventsInTable(path), 0, 'recorded in the next batch, not before answering')
    assert.equal((await store.getSession('vs_accept'))?.status, 'verified')
    assert.equal((await recorded).kind, 'recorded')
    assert.equal(eventsInTable(path), 1)
    await store.close()
    assert.ok(!existsSync(`${path}-inbox-0`) && !existsSync(`${path}-inbox-1`), 'an inbox emptied at close is removed')
  })

  it('records at the next open what its inbox held when the process was killed', () => {
    const path = join(folder, 'killed.sqlite')
    const storeModule = new URL('../../../server/store/sqlite/index.ts', import.meta.url).href
    const program = `
      import {openSqliteStore} from ${JSON.stringify(storeModule)}
      const store = openSqliteStore(${JSON.stringify(path)})
      const t = Date.now()
      await Promise.all(Array.from({length: 50}, (_, i) => store.acceptEvent({
        eventId: 'evt_killed_' + i, type: 'identity.verification_session.verified', created: Math.floor(t / 1000), receivedAt: t,
        session: {id: 'vs_killed_' + i, userRef: 'user_1', status: 'verified', lastErrorCode: null, createdAt: t - 1000},
        status: 'verified', redacted: false, handled: true,
      })))
      process.kill(process.pid, 'SIGKILL')`
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {encoding: 'utf8'})
    assert.equal(child.signal, 'SIGKILL', child.stderr)
    assert.equal(eventsInTable(path), 0, 'all 50 were answered, none recorded yet')
    const reopened = openSqliteStoreSync(path)
    reopened.close()
    assert.equal(eventsInTable(path), 0, 'a store without the inbox reads only SQLite')
    return (async () => {
      const store = openSqliteStore(path)
      assert.equal(eventsInTable(path), 50, 'opening recorded them')
      assert.equal((await store.getSession('vs_killed_49'))?.status, 'verified')
      await store.close()
    })()
  })

  it('writes its two files in turns, each again once SQLite holds its events', async () => {
    const path = join(folder, 'turns.sqlite')
    // About four events a file: some sixty turns.
    const store = openSqliteStore(path, {inbox: {fileBytes: 2048}})
    const t = Date.now()
    for (let chunk = 0; chunk < 10; chunk++) {
      const accepted = await Promise.all(
        Array.from({length: 25}, (_, i) => store.acceptEvent!(verifiedEvent(`evt_turn_${chunk}_${i}`, t, `vs_turn_${chunk}_${i}`))),
      )
      await Promise.all(accepted.map(({recorded}) => recorded))
    }
    assert.equal(eventsInTable(path), 250)
    await store.close()
  })

  it('belongs to the first store that opens it; another records each event before answering, and says so', async () => {
    const path = join(folder, 'two-stores.sqlite')
    const lines: string[] = []
    const logger = createLogger((line) => lines.push(line))
    const first = openSqliteStore(path, {logger})
    assert.deepEqual(lines, [], 'the first store has its inbox and nothing to say')
    const second = openSqliteStore(path, {logger})
    assert.ok(first.acceptEvent)
    assert.equal(second.acceptEvent, undefined)
    assert.deepEqual(
      lines.map((line) => JSON.parse(line) as Record<string, unknown>).map(({level, msg, database, reason}) => ({level, msg, database, reason})),
      [
        {
          level: 'warn',
          msg: 'SQLite store without its inbox: each webhook event is recorded before its answer, more slowly',
          database: path,
          reason: 'another process, or another store of this one, holds the inbox',
        },
      ],
    )
    // Asked not to have one, a store has nothing to say about it.
    await openSqliteStore(path, {inbox: false, logger}).close()
    assert.equal(lines.length, 1)
    assert.equal((await second.recordEvent(verifiedEvent('evt_second', Date.now(), 'vs_second'))).kind, 'recorded')
    assert.equal((await first.getSession('vs_second'))?.status, 'verified')
    await second.close()
    await first.close()
  })

  it('keeps an accepted event whose recording fails, and records the others of its batch', async () => {
    const path = join(folder, 'failed.sqlite')
    const store = openSqliteStore(path)
    const t = Date.now()
    // A session without a creation time breaks a NOT NULL constraint.
    const broken = verifiedEvent('evt_broken', t, 'vs_broken')
    broken.session = {...broken.session, createdAt: undefined as unknown as number}
    const [good, bad] = await Promise.all([store.acceptEvent!(verifiedEvent('evt_good', t, 'vs_good')), store.acceptEvent!(broken)])
    assert.equal((await good!.recorded).kind, 'recorded')
    await assert.rejects(bad!.recorded, /NOT NULL/)
    assert.deepEqual((await store.pendingEvents!()).map((event) => event.eventId), ['evt_broken'])
    assert.equal((await store.getSession('vs_good'))?.status, 'verified')
    await store.close()
  })

  it('keeps an accepted event that ties until it is recorded with Stripe’s status, across reopening', async () => {
    const path = join(folder, 'tie.sqlite')
    const store = openSqliteStore(path)
    const t = Date.now()
    const processing = verifiedEvent('evt_tie_1', t, 'vs_tie', 'processing')
    // The same second, another status: which one is current only Stripe can say.
    const requiresInput = {...verifiedEvent('evt_tie_2', t, 'vs_tie', 'processing'), type: 'identity.verification_session.requires_input', status: 'requires_input' as const}
    assert.equal((await (await store.acceptEvent!(processing)).recorded).kind, 'recorded')
    assert.equal((await (await store.acceptEvent!(requiresInput)).recorded).kind, 'tie')
    assert.deepEqual((await store.pendingEvents!()).map((event) => event.eventId), ['evt_tie_2'])
    await store.close()

    const reopened = openSqliteStore(path)
    assert.deepEqual(await reopened.pendingEvents!(), [requiresInput])
    const outcome = await reopened.recordEvent({...requiresInput, resolved: {status: 'requires_input', lastErrorCode: 'document_expired'}})
    assert.equal(outcome.kind, 'recorded')
    assert.deepEqual(await reopened.pendingEvents!(), [])
    assert.equal((await reopened.getSession('vs_tie'))?.status, 'requires_input')
    await reopened.close()
  })
})

storeContract('SQLite', async (name) => openSqliteStore(name ? join(folder, `${name}.sqlite`) : ':memory:'))
