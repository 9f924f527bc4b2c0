import {ApiError} from '../http/api-error.js'
import type {Logger} from '../log/logger.js'
import type {VerificationStore} from '../store/store.js'

/** How long a caller should wait before trying again while the store fails, in seconds. */
export const STORE_RETRY_AFTER_SECONDS = 5

/** The code of the answer while the store fails. */
export const STORE_UNAVAILABLE = 'store_unavailable'

/** The store as the routes use it: each failure a 503, and whether writes fail at the moment. */
export interface AnsweringStore extends VerificationStore {
  /** True from a write that failed until one succeeds: a check that only reads must not call the store well meanwhile. */
  writesFailing(): boolean
}

/**
 * The store, each of whose failures (the database is down, the disk is full, a write past its
 * time-out) becomes a 503 answer with `Retry-After`: the browser may try again shortly, and the store
 * answers again by itself once the database is back. A run of failures is told once, in one error
 * line naming the first one's cause, however many requests meet it; the first call that succeeds
 * after it is told too. `createApp` wraps its store once, for every route.
 */
export function answeringUnavailable(store: VerificationStore, logger: Logger): AnsweringStore {
  let failures = 0
  /** Whether reads, writes or both failed in this run: a call of the other kind succeeding does not end it. */
  const failing = new Set<'read' | 'write'>()
  const watch =
    <A extends unknown[], R>(method: string, kind: 'read' | 'write', call: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      let result: R
      try {
        result = await call(...args)
      } catch (error) {
        if (failures++ === 0) logger.error('the database fails: requests that need it answer 503, webhooks 500, until it answers again', {method, error})
        failing.add(kind)
        throw new ApiError(503, 'Verification is unavailable for a moment, try again shortly', STORE_UNAVAILABLE, {
          'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
        })
      }
      if (failing.has(kind)) {
        logger.info('the database answers again', {failedCalls: failures})
        failures = 0
        failing.clear()
      }
      return result
    }
  return {
    latestSession: watch('latestSession', 'read', (userRef: string) => store.latestSession(userRef)),
    verifiedSession: watch('verifiedSession', 'read', (userRef: string) => store.verifiedSession(userRef)),
    getSession: watch('getSession', 'read', (id: string) => store.getSession(id)),
    countSessions: watch('countSessions', 'read', (userRef: string) => store.countSessions(userRef)),
    countSubmittedSessions: watch('countSubmittedSessions', 'read', (from: number, to: number) => store.countSubmittedSessions(from, to)),
    insertSession: watch('insertSession', 'write', (session: Parameters<VerificationStore['insertSession']>[0]) => store.insertSession(session)),
    recordEvent: watch('recordEvent', 'write', (event: Parameters<VerificationStore['recordEvent']>[0]) => store.recordEvent(event)),
    markEventHandled: watch('markEventHandled', 'write', (eventId: string) => store.markEventHandled(eventId)),
    takeCount: watch('takeCount', 'write', (key: string, windowEnd: number, max: number, at: number) => store.takeCount(key, windowEnd, max, at)),
    releaseCount: watch('releaseCount', 'write', (key: string, windowEnd: number) => store.releaseCount(key, windowEnd)),
    claimAttempt: watch('claimAttempt', 'write', (userRef: string, seenSessionId: string | null) => store.claimAttempt(userRef, seenSessionId)),
    // A health check's own call: told by its answer, neither logged nor ending a run of failures.
    ping: () => store.ping(),
    writesFailing: () => failing.has('write'),
    close: () => store.close(),
  }
}
