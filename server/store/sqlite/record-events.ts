import {planEvent, type EventPlan} from '../../rules/event-rules.js'
import type {RecordOutcome, VerificationEventRecord} from '../../rules/records.js'
import {toRecord, toStoredSession, type SessionRow} from '../session-row.js'
import type {SqliteDriver} from './driver.js'
import type {Statements} from './statements.js'

/** What recording one event of a batch did: an outcome, or the error its statements threw. */
type BatchOutcome = RecordOutcome | {kind: 'failed'; error: unknown}

/** An event's own statements failed (not the transaction around them). */
class EventFailed extends Error {
  constructor(failure: unknown) {
    super('An event of the batch failed', {cause: failure})
  }
}

/** The row a plan inserts. */
function plannedRow({session: planned}: Extract<EventPlan, {kind: 'insert'}>, updatedAt: number): SessionRow {
  return {
    id: planned.id,
    user_ref: planned.userRef,
    status: planned.status,
    last_error_code: planned.lastErrorCode,
    redacted: planned.redacted ? 1 : 0,
    status_event_created: planned.statusEventCreated,
    created_at: planned.createdAt,
    submitted_at: planned.submittedAt,
    updated_at: updatedAt,
  }
}

/** Carries out the plan for an event whose id was new; the session as the statements leave it, without reading it again. */
function carryOut(sql: Statements, plan: Exclude<EventPlan, {kind: 'tie' | 'orphan'}>, stored: SessionRow | undefined, updatedAt: number): SessionRow {
  if (plan.kind === 'insert') {
    const {id, userRef, status, lastErrorCode, redacted, statusEventCreated, createdAt, submittedAt} = plan.session
    sql.insertSession.run(id, userRef, status, lastErrorCode, redacted ? 1 : 0, statusEventCreated, createdAt, submittedAt, updatedAt)
    return plannedRow(plan, updatedAt)
  }
  let session = stored!
  const {id} = session
  if (plan.kind === 'apply') {
    const {status, lastErrorCode, statusEventCreated, redact} = plan
    sql.updateSession.run(status, status, lastErrorCode, statusEventCreated, redact ? 1 : 0, updatedAt, id)
    session = {...session, status, last_error_code: lastErrorCode, status_event_created: statusEventCreated, updated_at: updatedAt}
  } else if (plan.redact) {
    // The stored status stands; a redaction still marks the session.
    sql.updateSession.run(null, null, null, null, 1, updatedAt, id)
    session = {...session, updated_at: updatedAt}
  }
  if (plan.redact) session.redacted = 1
  if (plan.submittedAt !== null) {
    sql.markSubmitted.run(plan.submittedAt, updatedAt, id)
    session = {...session, submitted_at: plan.submittedAt, updated_at: updatedAt}
  }
  return session
}

/** Records one event; runs inside a transaction, which every driver runs synchronously: nothing interleaves. */
function recordOne(sql: Statements, event: VerificationEventRecord, now: () => number): RecordOutcome {
  const {id} = event.session
  if (!sql.claimEvent.get(event.eventId, event.type, id, event.created, event.receivedAt, event.handled ? 1 : 0)) {
    const seen = sql.selectEvent.get(event.eventId)!
    return {kind: 'duplicate', handled: seen.handled === 1, session: toRecord(sql.selectSession.get(seen.session_id))}
  }
  const stored = sql.selectSession.get(id)
  const plan = planEvent(toStoredSession(stored), event)
  if (plan.kind === 'tie') {
    // Not recorded: its id is given back, for the event to be recorded again with Stripe's status.
    sql.forgetEvent.run(event.eventId)
    return {kind: 'tie'}
  }
  if (plan.kind === 'orphan') return {kind: 'recorded', handled: false, session: null}
  return {kind: 'recorded', handled: false, session: toRecord(carryOut(sql, plan, stored, now()))}
}

/**
 * When the events waiting are committed: `schedule` runs the commit after the current turn of the
 * event loop, so the events arriving in one turn share one transaction and one sync to disk (the
 * group commit); `each` commits every event at once in a transaction of its own (a Durable Object,
 * whose storage already groups writes and answers once they are durable).
 */
export type EventCommits = {schedule(commit: () => void): void} | 'each'

/**
 * Records events on `driver`: the events that arrive while a commit is under way are recorded
 * together (see `EventCommits`), and each caller is answered only once the transaction holding its
 * event committed. An event whose statements fail fails alone. Each event carries out `planEvent`'s
 * plan for its session; event ids past their retention are forgotten once a batch.
 */
export function eventRecorder(driver: SqliteDriver, sql: Statements, now: () => number, eventRetentionMs: number, commits: EventCommits) {
  // Nested in recordBatch, so a savepoint: the event's statements are undone alone when they fail.
  const recordOneAlone = (event: VerificationEventRecord) => driver.transaction(() => recordOne(sql, event, now))
  /**
   * Records events in one transaction. Without `alone`, the first event whose statements fail throws
   * `EventFailed`; with it, each event runs in a savepoint and one that fails fails alone.
   */
  const recordBatch = (events: readonly VerificationEventRecord[], alone: boolean): BatchOutcome[] =>
    driver.transaction(() => {
      const outcomes = events.map((event): BatchOutcome => {
        try {
          return alone ? recordOneAlone(event) : recordOne(sql, event, now)
        } catch (error) {
          if (!alone) throw new EventFailed(error)
          return {kind: 'failed', error}
        }
      })
      sql.pruneEvents.run(Math.max(...events.map((event) => event.receivedAt)) - eventRetentionMs)
      return outcomes
    })

  let waiting: {event: VerificationEventRecord; resolve(outcome: RecordOutcome): void; reject(error: unknown): void}[] = []
  let open = true

  /** Commits the events waiting, answering each once its transaction committed. */
  function commitWaiting(): void {
    const batch = waiting
    waiting = []
    if (batch.length === 0) return
    const events = batch.map((item) => item.event)
    let outcomes: BatchOutcome[]
    try {
      try {
        outcomes = recordBatch(events, false)
      } catch (error) {
        // One event failed: the batch runs again with a savepoint for each, so that it fails alone.
        if (!(error instanceof EventFailed)) throw error
        outcomes = events.length === 1 ? [{kind: 'failed', error: error.cause}] : recordBatch(events, true)
      }
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
    recordEvent: (event: VerificationEventRecord) =>
      new Promise<RecordOutcome>((resolve, reject) => {
        if (!open) throw new TypeError('The database connection is not open')
        waiting.push({event, resolve, reject})
        if (commits === 'each') commitWaiting()
        else if (waiting.length === 1) commits.schedule(commitWaiting)
      }),
    /** Commits what waits now, and refuses the events recorded from now on: the connection closes. */
    close() {
      commitWaiting()
      open = false
    },
  }
}
