/**
 * What every store does, whatever database it keeps its data in: each store's test file runs this
 * suite against a store of its own (`store.test.ts` SQLite, `postgres-store.test.ts` PostgreSQL).
 */
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import type {VerificationStatus} from '../../../protocol/verification-status.js'
import {EVENT_RETENTION_MS, type VerificationStore} from '../../../server/store/store.js'
import type {VerificationEventRecord} from '../../../server/rules/records.js'

const DAY = 24 * 60 * 60 * 1000

/** An event showing session `sessionId` of `user_1` verified (or processing), created when it was received. */
export function verifiedEvent(eventId: string, receivedAt: number, sessionId = 'vs_1', status: 'verified' | 'processing' = 'verified'): VerificationEventRecord {
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

/**
 * Runs the store contract against the stores `openStore` opens: each call a new, empty store, or the
 * one named `name` again (reopened with its data) when a name is given.
 */
export function storeContract(kind: string, openStore: (name?: string) => Promise<VerificationStore>): void {
  describe(`the ${kind} store`, () => {
    const opened: VerificationStore[] = []
    const open = async (name?: string) => {
      const store = await openStore(name)
      opened.push(store)
      return store
    }
    after(async () => {
      for (const store of opened) await store.close()
    })

    it('keeps its data across reopening', async () => {
      const first = await openStore('reopen')
      await first.insertSession({id: 'vs_keep', userRef: 'user_keep', status: 'requires_input', createdAt: Date.now()})
      await first.close()
      const second = await open('reopen')
      assert.equal((await second.latestSession('user_keep'))?.id, 'vs_keep')
    })

    it('returns a user’s newest session', async () => {
      const store = await open()
      await store.insertSession({id: 'vs_old', userRef: 'u', status: 'requires_input', createdAt: 1000})
      await store.insertSession({id: 'vs_new', userRef: 'u', status: 'requires_input', createdAt: 2000})
      await store.insertSession({id: 'vs_other', userRef: 'v', status: 'requires_input', createdAt: 3000})
      assert.equal((await store.latestSession('u'))?.id, 'vs_new')
      assert.equal(await store.countSessions('u'), 2)
      assert.equal(await store.latestSession('nobody'), null)
    })

    it('returns a user’s newest verified session whose data was not redacted', async () => {
      const store = await open()
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
      const store = await open()
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
      const store = await open()
      assert.equal((await store.recordEvent(verifiedEvent('evt_old', t0))).kind, 'recorded')
      await store.recordEvent(verifiedEvent('evt_mid', t0 + 3 * DAY, 'vs_2'))
      assert.equal((await store.recordEvent(verifiedEvent('evt_old', t0 + 3 * DAY))).kind, 'duplicate', 'still known after three days')
      await store.recordEvent(verifiedEvent('evt_late', t0 + EVENT_RETENTION_MS + 1, 'vs_3'))
      assert.equal((await store.recordEvent(verifiedEvent('evt_old', t0 + EVENT_RETENTION_MS + 2))).kind, 'recorded', 'forgotten')
      assert.equal((await store.recordEvent(verifiedEvent('evt_mid', t0 + EVENT_RETENTION_MS + 2, 'vs_2'))).kind, 'duplicate')
      assert.ok(EVENT_RETENTION_MS >= 3 * DAY)
    })

    it('records nothing when two events of the same second disagree, until told the resolved status', async () => {
      const store = await open()
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
      const store = await open()
      const event = verifiedEvent('evt_h', Date.now())
      await store.recordEvent(event)
      const before = await store.recordEvent(event)
      assert.equal(before.kind === 'duplicate' && before.handled, false)
      await store.markEventHandled('evt_h')
      const afterMark = await store.recordEvent(event)
      assert.equal(afterMark.kind === 'duplicate' && afterMark.handled, true)
    })

    it('records an event with nothing left to run as handled in the same write', async () => {
      const store = await open()
      const event = {...verifiedEvent('evt_done', Date.now()), handled: true}
      const first = await store.recordEvent(event)
      assert.equal(first.kind === 'recorded' && first.handled, false, 'the first delivery is not a redelivery')
      const again = await store.recordEvent(event)
      assert.equal(again.kind === 'duplicate' && again.handled, true)
    })

    it('counts up to its maximum per key and window, however many ask at once', async () => {
      const store = await open()
      const at = Date.UTC(2026, 0, 1)
      const windowEnd = at + 60_000
      const taken = await Promise.all(Array.from({length: 30}, () => store.takeCount('user:a', windowEnd, 10, at)))
      assert.equal(taken.filter(Boolean).length, 10)
      assert.equal(await store.takeCount('user:b', windowEnd, 10, at), true, 'another key counts apart')
      await store.releaseCount('user:a', windowEnd)
      assert.equal(await store.takeCount('user:a', windowEnd, 10, at), true, 'a count given back can be taken again')
      assert.equal(await store.takeCount('user:a', windowEnd, 10, at), false)
      assert.equal(await store.takeCount('user:a', windowEnd + 60_000, 10, windowEnd), true, 'the next window starts at zero')
      await store.releaseCount('user:a', windowEnd)
      assert.equal(await store.takeCount('user:a', windowEnd + 60_000, 10, windowEnd + 1), true)
    })

    it('gives every create decided on one view the same attempt, and the next view the next', async () => {
      const store = await open()
      const first = await Promise.all(Array.from({length: 10}, () => store.claimAttempt('user_a', null)))
      assert.deepEqual(new Set(first), new Set([1]))
      await store.insertSession({id: 'vs_a1', userRef: 'user_a', status: 'requires_input', createdAt: 1000})
      assert.equal(await store.claimAttempt('user_a', null), 1, 'a stale view still gets its own attempt')
      const views = await Promise.all(['vs_a1', 'vs_x', 'vs_a1', 'vs_y'].map((seen) => store.claimAttempt('user_a', seen)))
      assert.equal(views[0], views[2])
      assert.equal(new Set(views).size, 3)
      assert.deepEqual([...new Set(views)].sort(), [2, 3, 4])
      await store.insertSession({id: 'vs_b1', userRef: 'user_b', status: 'canceled', createdAt: 1000})
      await store.insertSession({id: 'vs_b2', userRef: 'user_b', status: 'canceled', createdAt: 2000})
      assert.equal(await store.claimAttempt('user_b', 'vs_b2'), 3, 'the sessions a user already has used their numbers')
    })

    it('keeps the status of an event recorded while the create inserts its session', async () => {
      const store = await open()
      const t = Date.now()
      await Promise.all(
        Array.from({length: 40}, async (_, i) => {
          const id = `vs_race_${i}`
          const event = verifiedEvent(`evt_race_${i}`, t, id, 'processing')
          // The insert lands at some moment of the event's transaction (on SQLite there is no such moment).
          const insert = async () => {
            await new Promise((resolve) => setTimeout(resolve, i % 8))
            await store.insertSession({id, userRef: 'user_1', status: 'requires_input', createdAt: t - 1000})
          }
          await Promise.all([insert(), store.recordEvent(event)])
          assert.equal((await store.getSession(id))?.status, 'processing', id)
        }),
      )
    })

    it('records one delivery of an event delivered many times at once', async () => {
      const store = await open()
      const event = verifiedEvent('evt_many', Date.now(), 'vs_many')
      const outcomes = await Promise.all(Array.from({length: 10}, () => store.recordEvent(event)))
      assert.equal(outcomes.filter((outcome) => outcome.kind === 'recorded').length, 1)
      assert.equal(outcomes.filter((outcome) => outcome.kind === 'duplicate').length, 9)
      assert.equal((await store.getSession('vs_many'))?.status, 'verified')
    })

    it('fails only the event whose statements fail, recording the events delivered with it', async () => {
      const store = await open()
      const t = Date.now()
      const events = Array.from({length: 6}, (_, i) => verifiedEvent(`evt_together_${i}`, t, `vs_together_${i}`))
      // A session without a creation time breaks a NOT NULL constraint.
      const broken = verifiedEvent('evt_together_broken', t, 'vs_together_broken')
      broken.session = {...broken.session, createdAt: null as unknown as number}
      const settled = await Promise.allSettled([...events.slice(0, 3), broken, ...events.slice(3)].map((event) => store.recordEvent(event)))
      assert.deepEqual(
        settled.map((answer) => answer.status),
        ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
      )
      for (let i = 0; i < 6; i++) assert.equal((await store.getSession(`vs_together_${i}`))?.status, 'verified')
      assert.equal(await store.getSession('vs_together_broken'), null)
      // Its id was not kept: a redelivery with the session's creation time is recorded.
      const outcome = await store.recordEvent(verifiedEvent('evt_together_broken', t, 'vs_together_broken'))
      assert.equal(outcome.kind, 'recorded')
    })

    it('answers each event with its session as recorded, whatever the event changed', async () => {
      const store = await open()
      const t = Math.floor(Date.now() / 1000)
      const event = (eventId: string, sessionId: string, status: VerificationStatus | null, created: number, lastErrorCode: string | null = null) => ({
        eventId,
        type: status ? `identity.verification_session.${status}` : 'identity.verification_session.redacted',
        created,
        receivedAt: Date.now(),
        session: {id: sessionId, userRef: 'user_answers', status: status ?? 'verified', lastErrorCode, createdAt: (t - 60) * 1000},
        status,
        redacted: status === null,
      })
      const deliveries: VerificationEventRecord[] = [
        event('evt_a1', 'vs_a', 'processing', t), // brings the session, submitted
        event('evt_a2', 'vs_a', 'requires_input', t + 2, 'document_expired'), // newer status
        event('evt_a3', 'vs_a', 'processing', t + 1), // older: the status stands
        event('evt_a4', 'vs_a', 'verified', t + 3), // final
        event('evt_a5', 'vs_a', null, t + 4), // redacted: marks it, status stands
        event('evt_a2', 'vs_a', 'requires_input', t + 2, 'document_expired'), // a redelivery
        event('evt_b1', 'vs_b', 'requires_input', t + 5, 'document_unverified_other'), // brings it, not submitted
        event('evt_b2', 'vs_b', 'processing', t + 4), // older, yet the earliest submission
      ]
      for (const delivery of deliveries) {
        const outcome = await store.recordEvent(delivery)
        assert.notEqual(outcome.kind, 'tie')
        if (outcome.kind === 'tie') continue
        assert.deepEqual(outcome.session, await store.getSession(delivery.session.id), `after ${delivery.eventId}`)
      }
      const a = await store.getSession('vs_a')
      assert.deepEqual([a?.status, a?.redacted, a?.submittedAt], ['verified', true, t * 1000])
      const b = await store.getSession('vs_b')
      assert.deepEqual([b?.status, b?.lastErrorCode, b?.submittedAt], ['requires_input', 'document_unverified_other', (t + 4) * 1000])
    })
  })
}
