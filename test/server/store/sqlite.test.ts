import assert from 'node:assert/strict'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it, mock} from 'node:test'
import workerThreads, {type Worker} from 'node:worker_threads'
import Database from 'better-sqlite3'
import {openSqliteConnection} from '../../../server/store/sqlite/node-connection.js'
import {openDriverConnection} from '../../../server/store/sqlite/connection.js'
import {openBetterSqlite3} from '../../../server/store/sqlite/drivers/better-sqlite3.js'
import {MIGRATIONS} from '../../../server/store/sqlite/schema.js'
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
  it('creates its folder and the schema, every migration recorded, in WAL mode', async () => {
    const path = join(folder, 'nested', 'deeper', 'store.sqlite')
    const store = openSqliteStore(path)
    await store.close()
    assert.ok(existsSync(path))
    const db = new Database(path, {readonly: true})
    assert.deepEqual(
      db.prepare('SELECT version, name, breaking FROM schema_migrations ORDER BY version').all(),
      MIGRATIONS.map(({version, name, breaking}) => ({version, name, breaking: breaking ? 1 : 0})),
    )
    // What the servers from before that table read: the newest migration that broke them.
    assert.equal(db.pragma('user_version', {simple: true}), 6)
    assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all()
    assert.deepEqual(
      tables,
      ['create_attempts', 'events', 'rate_counts', 'schema_migrations', 'sessions'].map((name) => ({name})),
    )
    // Expired event ids are found by rowid: no index that every event would write.
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`).all()
    assert.deepEqual(indexes, [{name: 'sqlite_autoindex_events_1'}])
    db.close()
  })

  it('records events that arrive together in one commit, each answered once it is on disk', async () => {
    const path = join(folder, 'group-commit.sqlite')
    // A connection of this thread, whose commit cannot start before this test has read the table once.
    const store = openSqliteConnection(path)
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
    assert.deepEqual(
      settled.map((answer) => answer.status),
      [...Array(10).fill('fulfilled'), 'rejected', ...Array(10).fill('fulfilled')],
    )
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
    await store.close()
    assert.equal((await answer).kind, 'recorded')
    const reopened = openSqliteStore(path)
    assert.equal((await reopened.getSession('vs_pending'))?.status, 'verified')
    await reopened.close()
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

    const store = openSqliteConnection(path, {now: () => t})
    assert.deepEqual(await store.getSession('vs_v1'), {
      id: 'vs_v1',
      userRef: 'user_v1',
      status: 'processing',
      lastErrorCode: null,
      redacted: false,
      createdAt: t,
      submittedAt: null,
      updatedAt: t,
    })
    assert.equal((await store.recordEvent(verifiedEvent('evt_v1', t, 'vs_v1', 'processing'))).kind, 'duplicate')
    // The next event showing the session submitted marks it: a session of version 1 counts from then.
    await store.recordEvent(verifiedEvent('evt_v2', t + 1000, 'vs_v1'))
    assert.equal((await store.getSession('vs_v1'))?.submittedAt, t + 1000)
    assert.equal(await store.countSubmittedSessions(t, t + DAY), 1)
    store.close()
    const db = new Database(path, {readonly: true})
    assert.equal(db.pragma('user_version', {simple: true}), 6)
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()
    assert.deepEqual(
      applied,
      MIGRATIONS.map(({version}) => ({version})),
      'version 1 adopted, the others applied',
    )
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

  it('closed during the pause after a stop, starts no thread again', async () => {
    const path = join(folder, 'thread-closed-in-pause.sqlite')
    const watch = watchThreads()
    const {threads} = watch
    try {
      const store = openSqliteStore(path)
      await store.recordEvent(verifiedEvent('evt_in_pause', Date.now(), 'vs_in_pause'))
      await threads[0]!.terminate()
      await store.close()
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(threads.length, 1, 'no thread was started again')
      assert.equal(watch.exited(), 1)
      const reopened = openSqliteStore(path)
      assert.equal((await reopened.getSession('vs_in_pause'))?.status, 'verified')
      await reopened.close()
    } finally {
      watch.stop()
    }
  })

  it('refuses a database from before the migrations table whose version is newer than it knows', () => {
    const path = join(folder, 'newer.sqlite')
    const db = new Database(path)
    db.pragma('user_version = 99')
    db.close()
    assert.throws(() => openSqliteStore(path), /newer than this server knows/)
  })

  it('runs on a schema a newer server changed without breaking it, and refuses one it broke', async () => {
    const path = join(folder, 'rolling.sqlite')
    await openSqliteStore(path).close()
    const db = new Database(path)
    db.exec(`CREATE TABLE later_feature (id TEXT PRIMARY KEY)`)
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0, ?)').run(MIGRATIONS.length + 1, 'later-feature', Date.now())
    db.close()
    const store = openSqliteStore(path)
    assert.equal((await store.recordEvent(verifiedEvent('evt_rolling', Date.now(), 'vs_rolling'))).kind, 'recorded')
    await store.close()

    const newer = new Database(path)
    newer.prepare('INSERT INTO schema_migrations VALUES (?, ?, 1, ?)').run(MIGRATIONS.length + 2, 'sessions-renamed', Date.now())
    newer.close()
    assert.throws(() => openSqliteStore(path), /changed by a newer version of identity-verify \(migration 8, sessions-renamed\)/)
  })

  it('names the path that is not a file', () => {
    const path = join(folder, 'a-folder.sqlite')
    mkdirSync(path)
    assert.throws(() => openSqliteStore(path), {message: `${path} is not a file: SQLite keeps the database there`})
    const walPath = join(folder, 'wal-folder.sqlite')
    mkdirSync(`${walPath}-wal`)
    assert.throws(() => openSqliteStore(walPath), {message: `${walPath}-wal is not a file: SQLite keeps the database there`})
  })

  it('has no column for client secrets, URLs or verified outputs', () => {
    const path = join(folder, 'columns.sqlite')
    openSqliteConnection(path).close()
    const db = new Database(path, {readonly: true})
    const columns = (['sessions', 'events', 'rate_counts', 'create_attempts'] as const).flatMap((table) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as {name: string}[]).map((column) => column.name),
    )
    db.close()
    assert.ok(columns.includes('status'))
    for (const column of columns) assert.doesNotMatch(column, /secret|url|output|name|dob|address|document/i)
  })
})

describe('openSqliteStore on a database of the version with the webhook inbox', () => {
  /** A database as that version left it: the schema at version 5, the inbox's tables. */
  function inboxVersionDatabase(name: string): string {
    const path = join(folder, `${name}.sqlite`)
    const db = new Database(path)
    for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration.sql)
    db.pragma('user_version = 5')
    db.close()
    return path
  }

  it('drops the inbox and its lock file when nothing waits in them', async () => {
    const path = inboxVersionDatabase('inbox-empty')
    writeFileSync(`${path}-inbox-lock`, '')
    const store = openSqliteStore(path)
    await store.close()
    assert.ok(!existsSync(`${path}-inbox-lock`))
    const db = new Database(path, {readonly: true})
    assert.equal(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('inbox', 'pending_events')`).pluck().get(), 0)
    db.close()
  })

  it('stops, naming where events may wait, while its files or pending_events hold any', () => {
    const withFiles = inboxVersionDatabase('inbox-files')
    writeFileSync(`${withFiles}-inbox-0`, Buffer.alloc(4096))
    assert.throws(
      () => openSqliteStore(withFiles),
      (error: Error) => {
        assert.match(error.message, new RegExp(`may wait in ${withFiles.replaceAll('.', '\\.')}-inbox-0\\. Start that version once more`))
        return true
      },
    )
    assert.ok(existsSync(`${withFiles}-inbox-0`), 'nothing was removed')

    const withPending = inboxVersionDatabase('inbox-pending')
    const db = new Database(withPending)
    db.prepare('INSERT INTO pending_events VALUES (?, ?)').run('evt_waiting', '{}')
    db.close()
    assert.throws(() => openSqliteStore(withPending), /1 event\(s\) in the table pending_events of/)
    const after = new Database(withPending, {readonly: true})
    assert.equal(after.prepare('SELECT count(*) FROM pending_events').pluck().get(), 1, 'the event still waits there')
    assert.equal(after.pragma('user_version', {simple: true}), 5)
    after.close()
  })
})

storeContract('SQLite', async (name) => openSqliteStore(name ? join(folder, `${name}.sqlite`) : ':memory:'))

// As a Durable Object runs it: every event committed at once in a transaction of its own.
storeContract('SQLite, one transaction per event', async (name) =>
  openDriverConnection(openBetterSqlite3(name ? join(folder, `${name}-each.sqlite`) : ':memory:', 5000), {eventCommits: 'each'}),
)
