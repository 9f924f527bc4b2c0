import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import Database from 'better-sqlite3'
import {planEvent} from '../../rules/event-rules.js'
import type {InboxPosition} from './inbox.js'
import {toRecord, toStoredSession, type SessionRow} from '../session-row.js'
import {EVENT_RETENTION_MS, type VerificationStore} from '../store.js'
import type {RecordOutcome, VerificationEventRecord, VerificationRecord} from '../../rules/records.js'

export {EVENT_RETENTION_MS}

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** How long seen event ids are kept, in ms (at least three days; default four). */
  eventRetentionMs?: number
  /**
   * How long a statement waits for another connection's lock, in ms (default 5000); 0 fails at
   * once with `SQLITE_BUSY`. Opening waits at least 5 s whatever this says.
   */
  busyTimeoutMs?: number
  /** The clock, for tests. */
  now?: () => number
  /**
   * The connection records an inbox's events (see `sqlite-writer.ts`): its commits are not synced
   * (`synchronous=NORMAL`, the inbox already holds them on disk) and it leaves checkpoints to the
   * connection that syncs.
   */
  recordsInbox?: boolean
}

/** What recording one event of the inbox did: an outcome, or the error its statements threw. */
export type InboxOutcome = RecordOutcome | {kind: 'failed'; error: unknown}

/** The synchronous store, with what its connection does for an inbox beside the store's methods. */
export interface SqliteStoreSync extends VerificationStore {
  /** How far the inbox's events are recorded; null before any. */
  inboxPosition(): InboxPosition | null
  /**
   * Records events of the inbox in one transaction and notes `through` as recorded: an event whose
   * statements fail fails alone; it and a tie are kept in `pending_events` until recorded with
   * Stripe's status. `durable` commits with an fsync and waits for locks as opening does (catching up at start).
   */
  recordInbox(events: readonly VerificationEventRecord[], through: InboxPosition, durable?: boolean): InboxOutcome[]
  /** A commit with an fsync, which makes every commit before it durable (checkpointing the WAL when long). */
  syncInbox(): void
  /** The events of the inbox that tied or failed, until recorded with Stripe's status. */
  pendingEvents(): VerificationEventRecord[]
}

/** How long opening waits for another connection's lock (migrations, the write check), in ms. */
const OPEN_BUSY_TIMEOUT_MS = 5000
/** Each connection's page cache, in KiB. */
const PAGE_CACHE_KB = 2048

/** The schema, one entry per version; `PRAGMA user_version` says how many have been applied. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_ref TEXT NOT NULL,
     status TEXT NOT NULL,
     last_error_code TEXT,
     redacted INTEGER NOT NULL DEFAULT 0,
     status_event_created INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_by_user ON sessions (user_ref, created_at);
   CREATE TABLE events (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     session_id TEXT NOT NULL,
     created INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     handled INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX events_by_received_at ON events (received_at);`,
  // The daily guard counts the sessions submitted each UTC day: what Stripe bills.
  `ALTER TABLE sessions ADD COLUMN submitted_at INTEGER;
   CREATE INDEX sessions_by_submitted_at ON sessions (submitted_at) WHERE submitted_at IS NOT NULL;`,
  // Limits and create attempts live in the store, so that every process sharing it sees the same.
  `CREATE TABLE rate_counts (
     key TEXT NOT NULL,
     window_end INTEGER NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (key, window_end)
   );
   CREATE INDEX rate_counts_by_window_end ON rate_counts (window_end);
   CREATE TABLE create_attempts (
     user_ref TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     seen_session_id TEXT NOT NULL,
     PRIMARY KEY (user_ref, attempt),
     UNIQUE (user_ref, seen_session_id)
   );`,
  // Events are forgotten oldest first by rowid, which grows with their arrival: an index on
  // received_at cost every event a third b-tree and every commit a page more to write and sync.
  `DROP INDEX events_by_received_at;`,
  // The inbox (sqlite-inbox.ts): how far its events are recorded, and the events recorded from it that
  // wait for Stripe's status (two events of one second that disagree).
  `CREATE TABLE inbox (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     generation INTEGER NOT NULL,
     offset INTEGER NOT NULL,
     synced_at INTEGER
   );
   CREATE TABLE pending_events (
     event_id TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );`,
]

/**
 * Opens (creating it and its folder if needed) the SQLite store at `path`, or an in-memory one for
 * `':memory:'`, brings its schema up to date and checks that it can be written. Every call runs on
 * the calling thread and may wait there for the disk or another connection's lock: the server uses
 * `openSqliteStore`, which runs the writes of this store on a thread of their own.
 */
export function openSqliteStoreSync(path: string, options: SqliteStoreOptions = {}): SqliteStoreSync {
  const {eventRetentionMs = EVENT_RETENTION_MS, busyTimeoutMs = 5000, now = Date.now, recordsInbox = false} = options
  if (path !== ':memory:') mkdirSync(dirname(path), {recursive: true})
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma(`busy_timeout = ${Math.max(Math.floor(busyTimeoutMs), OPEN_BUSY_TIMEOUT_MS)}`)
  // The pages a connection keeps in memory (SQLite's build here defaults to 16 MB): the rows are small
  // and the hot pages few, and the kernel's page cache holds the rest of the file.
  db.pragma(`cache_size = -${PAGE_CACHE_KB}`)
  // FULL: a webhook is answered 200 only once its event survives a power cut, not just a crash.
  db.pragma('synchronous = FULL')
  migrate(db)
  // A file or folder that cannot be written still opens (read-only): find out now, not at the first webhook.
  db.transaction(() => db.pragma(`user_version = ${MIGRATIONS.length}`)).immediate()
  db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`)
  const synchronous = recordsInbox ? 'NORMAL' : 'FULL'
  db.pragma(`synchronous = ${synchronous}`)
  if (recordsInbox) db.pragma('wal_autocheckpoint = 0')

  const selectSession = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?')
  const selectLatest = db.prepare<[string], SessionRow>(
    'SELECT * FROM sessions WHERE user_ref = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  )
  const selectVerified = db.prepare<[string], SessionRow>(
    `SELECT * FROM sessions WHERE user_ref = ? AND status = 'verified' AND redacted = 0
     ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  )
  const countByUser = db.prepare<[string], {n: number}>('SELECT count(*) AS n FROM sessions WHERE user_ref = ?')
  const countSubmitted = db.prepare<[number, number], {n: number}>(
    'SELECT count(*) AS n FROM sessions WHERE submitted_at >= ? AND submitted_at < ?',
  )
  const insertSession = db.prepare(
    `INSERT INTO sessions (id, user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at)
     VALUES (@id, @userRef, @status, @lastErrorCode, @redacted, @statusEventCreated, @createdAt, @submittedAt, @updatedAt)
     ON CONFLICT (id) DO NOTHING`,
  )
  // The changes an event makes to a stored session; a null status leaves the status as it is. The
  // submission time, an indexed column, is written apart, only when it changes.
  const updateSession = db.prepare<[string | null, string | null, string | null, number | null, number, number, string]>(
    `UPDATE sessions SET status = coalesce(?, status),
       last_error_code = CASE WHEN ? IS NULL THEN last_error_code ELSE ? END,
       status_event_created = coalesce(?, status_event_created),
       redacted = max(redacted, ?),
       updated_at = ?
     WHERE id = ?`,
  )
  const markSubmitted = db.prepare<[number, number, string]>('UPDATE sessions SET submitted_at = ?, updated_at = ? WHERE id = ?')
  const selectEvent = db.prepare<[string], {handled: number; session_id: string}>(
    'SELECT handled, session_id FROM events WHERE id = ?',
  )
  // An event's id is claimed first: taken already, the event is a redelivery.
  const claimEvent = db.prepare(
    'INSERT INTO events (id, type, session_id, created, received_at, handled) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  )
  const forgetEvent = db.prepare('DELETE FROM events WHERE id = ?')
  // Rows arrive in rowid order, so the ones past their retention are the first ones: this reads them
  // and the first row still kept, nothing more. (A clock set back only keeps rows longer.)
  const pruneEvents = db.prepare(
    `DELETE FROM events WHERE rowid < coalesce(
       (SELECT rowid FROM events WHERE received_at >= ? ORDER BY rowid LIMIT 1),
       (SELECT max(rowid) + 1 FROM events))`,
  )
  const markHandled = db.prepare('UPDATE events SET handled = 1 WHERE id = ?')
  const pruneCounts = db.prepare('DELETE FROM rate_counts WHERE window_end <= ?')
  const incrementCount = db.prepare<[string, number, number]>(
    `INSERT INTO rate_counts (key, window_end, count) VALUES (?, ?, 1)
     ON CONFLICT (key, window_end) DO UPDATE SET count = count + 1 WHERE count < ?`,
  )
  const decrementCount = db.prepare('UPDATE rate_counts SET count = count - 1 WHERE key = ? AND window_end = ? AND count > 0')
  // An attempt after every one claimed and every session the user already has (sessions created
  // before attempts were kept, or elsewhere, used those numbers).
  const insertAttempt = db.prepare<{userRef: string; seen: string}>(
    `INSERT INTO create_attempts (user_ref, attempt, seen_session_id)
     SELECT @userRef, max(coalesce((SELECT max(attempt) FROM create_attempts WHERE user_ref = @userRef), 0),
                          (SELECT count(*) FROM sessions WHERE user_ref = @userRef)) + 1, @seen
     WHERE true ON CONFLICT DO NOTHING`,
  )
  const selectAttempt = db.prepare<{userRef: string; seen: string}, {attempt: number}>(
    'SELECT attempt FROM create_attempts WHERE user_ref = @userRef AND seen_session_id = @seen',
  )
  // Counters and attempts need no power-cut durability (a lost count errs towards allowing, a lost
  // attempt is claimed again with the same number), so their commits skip the fsync that sessions and
  // events pay: WAL with synchronous=NORMAL for that one commit. A later FULL commit syncs them too.
  function withoutSync<T>(write: () => T): T {
    db.pragma('synchronous = NORMAL')
    try {
      return write()
    } finally {
      db.pragma(`synchronous = ${synchronous}`)
    }
  }
  const takeCount = db.transaction((key: string, windowEnd: number, max: number, at: number): boolean => {
    pruneCounts.run(at)
    return incrementCount.run(key, windowEnd, max).changes === 1
  })
  const claimAttempt = db.transaction((userRef: string, seenSessionId: string | null): number => {
    const view = {userRef, seen: seenSessionId ?? ''}
    insertAttempt.run(view)
    return selectAttempt.get(view)!.attempt
  })

  const selectInbox = db.prepare<[], InboxPosition>('SELECT generation, offset FROM inbox WHERE id = 1')
  const setInboxPosition = db.prepare(
    `INSERT INTO inbox (id, generation, offset) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, offset = excluded.offset`,
  )
  const touchInbox = db.prepare(
    'INSERT INTO inbox (id, generation, offset, synced_at) VALUES (1, 0, 0, ?) ON CONFLICT (id) DO UPDATE SET synced_at = excluded.synced_at',
  )
  const insertPending = db.prepare('INSERT INTO pending_events (event_id, record) VALUES (?, ?) ON CONFLICT DO NOTHING')
  const deletePending = db.prepare('DELETE FROM pending_events WHERE event_id = ?')
  const selectPending = db.prepare<[], {record: string}>('SELECT record FROM pending_events ORDER BY rowid')

  /** Whether the event's id was new (it is remembered now) rather than seen before. */
  const claim = (event: VerificationEventRecord) =>
    claimEvent.run(event.eventId, event.type, event.session.id, event.created, event.receivedAt, event.handled ? 1 : 0).changes === 1
  // A session as the rules read it, through an array: better-sqlite3 builds a row object slowly, column by column.
  const selectSessionValues = db
    .prepare<[string], [string, string, string | null, number, number | null, number, number | null, number]>(
      `SELECT user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at
       FROM sessions WHERE id = ?`,
    )
    .raw()
  function sessionRow(id: string): SessionRow | undefined {
    const values = selectSessionValues.get(id)
    if (!values) return undefined
    const [user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at] = values
    return {id, user_ref, status, last_error_code, redacted, status_event_created, created_at, submitted_at, updated_at}
  }

  // Runs inside a transaction; better-sqlite3 runs one synchronously, so no other request interleaves.
  function recordOne(event: VerificationEventRecord): RecordOutcome {
    const outcome = recordPlan(event)
    // Recorded with Stripe's status: it no longer waits for it.
    if (event.resolved && outcome.kind !== 'tie') deletePending.run(event.eventId)
    return outcome
  }
  function recordPlan(event: VerificationEventRecord): RecordOutcome {
    if (!claim(event)) {
      const seen = selectEvent.get(event.eventId)!
      return {kind: 'duplicate', handled: seen.handled === 1, session: toRecord(selectSession.get(seen.session_id))}
    }
    const {id} = event.session
    const stored = sessionRow(id)
    const plan = planEvent(toStoredSession(stored), event)
    // The session as these statements leave it, without reading it again.
    const updatedAt = now()
    let session: SessionRow | undefined = stored
    switch (plan.kind) {
      case 'tie':
        // Not recorded: its id is given back, for the event to be recorded again with Stripe's status.
        forgetEvent.run(event.eventId)
        return {kind: 'tie'}
      case 'orphan':
        return {kind: 'recorded', handled: false, session: null}
      case 'insert': {
        const planned = plan.session
        insertSession.run({...planned, redacted: planned.redacted ? 1 : 0, updatedAt})
        session = {
          id,
          user_ref: planned.userRef,
          status: planned.status,
          last_error_code: planned.lastErrorCode,
          redacted: planned.redacted ? 1 : 0,
          status_event_created: planned.statusEventCreated,
          created_at: planned.createdAt,
          submitted_at: planned.submittedAt,
          updated_at: updatedAt,
        }
        break
      }
      case 'apply': {
        const {status, lastErrorCode, statusEventCreated, redact} = plan
        updateSession.run(status, status, lastErrorCode, statusEventCreated, redact ? 1 : 0, updatedAt, id)
        session = {...stored!, status, last_error_code: lastErrorCode, status_event_created: statusEventCreated, updated_at: updatedAt}
        if (redact) session.redacted = 1
        break
      }
      case 'ignore':
        // The stored status stands; a redaction still marks the session.
        if (!plan.redact) break
        updateSession.run(null, null, null, null, 1, updatedAt, id)
        session = {...stored!, redacted: 1, updated_at: updatedAt}
    }
    if (plan.kind !== 'insert' && plan.submittedAt !== null) {
      markSubmitted.run(plan.submittedAt, updatedAt, id)
      session = {...session!, submitted_at: plan.submittedAt, updated_at: updatedAt}
    }
    return {kind: 'recorded', handled: false, session: toRecord(session)}
  }

  /** An event's own statements failed (not the transaction around them). */
  class EventFailed extends Error {
    constructor(failure: unknown) {
      super('An event of the batch failed', {cause: failure})
    }
  }
  const keepPending = (event: VerificationEventRecord) => insertPending.run(event.eventId, JSON.stringify(event))
  // Nested in recordBatch, so a savepoint: the event's statements are undone alone when they fail.
  const recordOneAlone = db.transaction(recordOne)
  /**
   * Records events in one transaction, and forgets event ids past their retention once, as of its
   * latest event. Without `alone`, the first event whose statements fail throws `EventFailed`; with
   * it, each event runs in a savepoint and one that fails fails alone. Events from an inbox (`through`
   * given) are already answered: one that ties or fails is kept in `pending_events`, and the inbox's
   * position is noted in the same transaction.
   */
  const recordBatch = db.transaction(
    (events: readonly VerificationEventRecord[], alone: boolean, through: InboxPosition | null): InboxOutcome[] => {
      const outcomes = events.map((event): InboxOutcome => {
        try {
          const outcome = alone ? recordOneAlone(event) : recordOne(event)
          if (through && outcome.kind === 'tie') keepPending(event)
          return outcome
        } catch (error) {
          if (!alone) throw new EventFailed(error)
          if (through) keepPending(event)
          return {kind: 'failed', error}
        }
      })
      if (events.length > 0) pruneEvents.run(Math.max(...events.map((event) => event.receivedAt)) - eventRetentionMs)
      if (through) setInboxPosition.run(through.generation, through.offset)
      return outcomes
    },
  )
  /** `recordBatch` at once; when one event fails, the batch runs again with a savepoint for each, so that it fails alone. */
  function recordBatchNow(events: readonly VerificationEventRecord[], through: InboxPosition | null): InboxOutcome[] {
    try {
      return recordBatch.immediate(events, false, through)
    } catch (error) {
      if (!(error instanceof EventFailed)) throw error
      return recordBatch.immediate(events, true, through)
    }
  }

  // Group commit: the events that arrive while the disk is busy are recorded together, in one
  // transaction and one write to disk; one whose statements fail fails alone. Every caller is
  // answered only once the transaction holding its event has committed.
  let waiting: {event: VerificationEventRecord; resolve(outcome: RecordOutcome): void; reject(error: unknown): void}[] = []
  function commitWaiting() {
    const batch = waiting
    waiting = []
    if (batch.length === 0) return
    let outcomes: InboxOutcome[]
    try {
      outcomes = recordBatchNow(
        batch.map((item) => item.event),
        null,
      )
    } catch (error) {
      // A lock not granted, a full disk: every event of the batch fails alike.
      return batch.forEach((item) => item.reject(error))
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!
      if (outcome.kind === 'failed') item.reject(outcome.error)
      else item.resolve(outcome)
    })
  }

  return {
    latestSession: (userRef) => toRecord(selectLatest.get(userRef)),
    verifiedSession: (userRef) => toRecord(selectVerified.get(userRef)),
    getSession: (id) => toRecord(selectSession.get(id)),
    countSessions: (userRef) => countByUser.get(userRef)!.n,
    countSubmittedSessions: (from, to) => countSubmitted.get(from, to)!.n,
    insertSession(session) {
      const at = now()
      insertSession.run({...session, lastErrorCode: null, redacted: 0, statusEventCreated: null, submittedAt: null, updatedAt: at})
    },
    recordEvent: (event) =>
      new Promise<RecordOutcome>((resolve, reject) => {
        if (!db.open) throw new TypeError('The database connection is not open')
        waiting.push({event, resolve, reject})
        if (waiting.length === 1) setImmediate(commitWaiting)
      }),
    markEventHandled(eventId) {
      markHandled.run(eventId)
    },
    takeCount: (key, windowEnd, max, at) => withoutSync(() => takeCount.immediate(key, windowEnd, max, at)),
    releaseCount(key, windowEnd) {
      withoutSync(() => decrementCount.run(key, windowEnd))
    },
    claimAttempt: (userRef, seenSessionId) => withoutSync(() => claimAttempt.immediate(userRef, seenSessionId)),
    inboxPosition: () => selectInbox.get() ?? null,
    recordInbox(events, through, durable = false) {
      if (!durable) return recordBatchNow(events, through)
      db.pragma(`busy_timeout = ${Math.max(Math.floor(busyTimeoutMs), OPEN_BUSY_TIMEOUT_MS)}`)
      db.pragma('synchronous = FULL')
      try {
        return recordBatchNow(events, through)
      } finally {
        db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`)
        db.pragma(`synchronous = ${synchronous}`)
      }
    },
    syncInbox() {
      db.transaction(() => touchInbox.run(now())).immediate()
    },
    pendingEvents: () => selectPending.all().map((row) => JSON.parse(row.record) as VerificationEventRecord),
    close() {
      commitWaiting()
      if (db.open) db.close()
    },
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', {simple: true}) as number
  if (version > MIGRATIONS.length) {
    throw new Error(`The database schema (version ${version}) is newer than this server (version ${MIGRATIONS.length})`)
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!)
      db.pragma(`user_version = ${next + 1}`)
    }).immediate()
  }
}
