import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {planEvent, type StoredSession} from '../../../server/rules/event-rules.js'
import {VERIFICATION_EVENT_TYPES as EVENTS, statusOfEvent, type VerificationStatus} from '../../../protocol/verification-status.js'
import type {VerificationEventRecord} from '../../../server/rules/records.js'

const T = 1_780_000_000

/** An event of `type` created at `created`, its session carrying `status` as Stripe sends it. */
function event(
  type: string,
  created: number,
  {
    status = statusOfEvent(type) ?? 'verified',
    userRef = 'user_1',
    lastErrorCode = null,
    resolved,
  }: {
    status?: VerificationStatus
    userRef?: string | null
    lastErrorCode?: string | null
    resolved?: VerificationEventRecord['resolved']
  } = {},
): VerificationEventRecord {
  return {
    eventId: `evt_${type}_${created}`,
    type,
    created,
    receivedAt: created * 1000,
    session: {id: 'vs_1', userRef, status, lastErrorCode, createdAt: (T - 60) * 1000},
    status: statusOfEvent(type),
    redacted: type === EVENTS.redacted,
    ...(resolved && {resolved}),
  }
}

const stored = (status: VerificationStatus, statusEventCreated: number | null, lastErrorCode: string | null = null, submittedAt: number | null = null): StoredSession => ({
  status,
  lastErrorCode,
  statusEventCreated,
  submittedAt,
})

describe('planEvent for a session the store does not hold', () => {
  it('inserts the session with the event’s status when the event names a user', () => {
    assert.deepEqual(planEvent(null, event(EVENTS.requires_input, T, {lastErrorCode: 'document_expired'})), {
      kind: 'insert',
      session: {
        id: 'vs_1',
        userRef: 'user_1',
        status: 'requires_input',
        lastErrorCode: 'document_expired',
        redacted: false,
        statusEventCreated: T,
        createdAt: (T - 60) * 1000,
        submittedAt: null,
      },
    })
  })

  it('inserts the resolved status when Stripe’s was given', () => {
    const plan = planEvent(null, event(EVENTS.processing, T, {resolved: {status: 'requires_input', lastErrorCode: 'document_expired'}}))
    assert.equal(plan.kind, 'insert')
    assert.deepEqual(plan.kind === 'insert' && [plan.session.status, plan.session.lastErrorCode], ['requires_input', 'document_expired'])
  })

  it('only remembers the event id when the event names no user', () => {
    assert.deepEqual(planEvent(null, event(EVENTS.verified, T, {userRef: null})), {kind: 'orphan'})
  })

  it('inserts a redacted session with the status its event carries', () => {
    const plan = planEvent(null, event(EVENTS.redacted, T, {status: 'verified'}))
    assert.equal(plan.kind, 'insert')
    assert.deepEqual(plan.kind === 'insert' && [plan.session.status, plan.session.redacted], ['verified', true])
  })

  it('only remembers the event id of a redacted session that names no user', () => {
    assert.deepEqual(planEvent(null, event(EVENTS.redacted, T, {status: 'verified', userRef: null})), {kind: 'orphan'})
  })
})

describe('planEvent for a session the store holds', () => {
  it('applies a newer event', () => {
    assert.deepEqual(planEvent(stored('processing', T, null, T * 1000), event(EVENTS.requires_input, T + 1, {lastErrorCode: 'document_expired'})), {
      kind: 'apply',
      status: 'requires_input',
      lastErrorCode: 'document_expired',
      statusEventCreated: T + 1,
      redact: false,
      submittedAt: null,
    })
  })

  it('applies any event to a status set by the create call', () => {
    assert.equal(planEvent(stored('requires_input', null), event(EVENTS.processing, T - 100)).kind, 'apply')
  })

  it('ignores an older event', () => {
    assert.deepEqual(planEvent(stored('requires_input', T, 'document_expired', (T - 1) * 1000), event(EVENTS.processing, T - 1)), {
      kind: 'ignore',
      redact: false,
      submittedAt: null,
    })
  })

  it('ignores any event once the stored status is final, a newer one too', () => {
    for (const final of ['verified', 'canceled'] as const) {
      const submitted = final === 'verified' ? T * 1000 : null
      assert.deepEqual(planEvent(stored(final, T, null, submitted), event(EVENTS.requires_input, T + 10)), {kind: 'ignore', redact: false, submittedAt: null})
      assert.deepEqual(planEvent(stored(final, T, null, submitted), event(EVENTS.processing, T)), {
        kind: 'ignore',
        redact: false,
        submittedAt: submitted === null ? T * 1000 : null,
      })
    }
  })

  it('applies a final status even from an older event', () => {
    const plan = planEvent(stored('requires_input', T, 'document_expired'), event(EVENTS.verified, T - 10))
    assert.deepEqual(plan, {kind: 'apply', status: 'verified', lastErrorCode: null, statusEventCreated: T - 10, redact: false, submittedAt: (T - 10) * 1000})
  })

  it('ignores an event of the same second that says the same', () => {
    assert.deepEqual(planEvent(stored('processing', T, null, T * 1000), event(EVENTS.processing, T)), {kind: 'ignore', redact: false, submittedAt: null})
  })

  it('ties on an event of the same second that says otherwise', () => {
    assert.deepEqual(planEvent(stored('processing', T), event(EVENTS.requires_input, T, {lastErrorCode: 'document_expired'})), {kind: 'tie'})
    assert.deepEqual(
      planEvent(stored('requires_input', T, 'document_expired'), event(EVENTS.requires_input, T, {lastErrorCode: 'selfie_mismatch'})),
      {kind: 'tie'},
      'the same status with another error',
    )
  })

  it('applies the resolved status to a tie', () => {
    const tie = event(EVENTS.processing, T, {resolved: {status: 'requires_input', lastErrorCode: 'document_expired'}})
    assert.deepEqual(planEvent(stored('requires_input', T, null, T * 1000), tie), {
      kind: 'apply',
      status: 'requires_input',
      lastErrorCode: 'document_expired',
      statusEventCreated: T,
      redact: false,
      submittedAt: null,
    })
  })

  it('marks a redacted session without changing its status', () => {
    assert.deepEqual(planEvent(stored('verified', T - 5, null, (T - 5) * 1000), event(EVENTS.redacted, T, {status: 'verified'})), {
      kind: 'ignore',
      redact: true,
      submittedAt: null,
    })
    assert.deepEqual(planEvent(stored('requires_input', T + 5), event(EVENTS.redacted, T, {status: 'requires_input'})), {
      kind: 'ignore',
      redact: true,
      submittedAt: null,
    })
  })
})

describe('planEvent marks when a session was submitted, what Stripe bills', () => {
  it('takes the time of the first event that shows it processing or verified', () => {
    const inserted = planEvent(null, event(EVENTS.processing, T))
    assert.equal(inserted.kind === 'insert' && inserted.session.submittedAt, T * 1000)
    const applied = planEvent(stored('requires_input', null), event(EVENTS.verified, T))
    assert.equal(applied.kind === 'apply' && applied.submittedAt, T * 1000)
  })

  it('marks it once: a later event showing it submitted again changes nothing', () => {
    const plan = planEvent(stored('processing', T, null, T * 1000), event(EVENTS.verified, T + 30))
    assert.equal(plan.kind === 'apply' && plan.submittedAt, null)
  })

  it('moves it back to an earlier event showing it submitted that arrives later', () => {
    // processing at T, verified at T + 30, delivered the other way round: the same time either way.
    const plan = planEvent(stored('verified', T + 30, null, (T + 30) * 1000), event(EVENTS.processing, T))
    assert.deepEqual(plan, {kind: 'ignore', redact: false, submittedAt: T * 1000})
  })

  it('marks it from an event too old to change the status', () => {
    // processing at T, then requires_input at T + 5, delivered the other way round.
    const plan = planEvent(stored('requires_input', T + 5, 'document_expired'), event(EVENTS.processing, T))
    assert.deepEqual(plan, {kind: 'ignore', redact: false, submittedAt: T * 1000})
  })

  it('does not mark a session that was created, waits for input or was canceled', () => {
    for (const type of [EVENTS.created, EVENTS.requires_input, EVENTS.canceled]) {
      const inserted = planEvent(null, event(type, T, {lastErrorCode: type === EVENTS.requires_input ? 'consent_declined' : null}))
      assert.equal(inserted.kind === 'insert' && inserted.session.submittedAt, null, type)
      const applied = planEvent(stored('requires_input', null), event(type, T))
      assert.equal(applied.kind === 'apply' && applied.submittedAt, null, type)
    }
  })

  it('marks it from Stripe’s resolved status when that is the one showing it submitted', () => {
    const tie = event(EVENTS.requires_input, T, {lastErrorCode: 'document_expired', resolved: {status: 'processing', lastErrorCode: null}})
    const plan = planEvent(stored('requires_input', T), tie)
    assert.equal(plan.kind === 'apply' && plan.submittedAt, T * 1000)
  })
})
