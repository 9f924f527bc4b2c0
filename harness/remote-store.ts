/**
 * A `VerificationStore` whose calls are answered by a store running elsewhere (another runtime's
 * process), over HTTP: `POST <url>/<store>/<method>` with the arguments as a JSON array answers
 * `{"value": …}`, or `{"error": "…"}` with a 5xx status. Lets the store contract suite run against a
 * store that only runs in workerd.
 */
import type {VerificationStore} from '../server/store/store.js'

/** The store named `name` of the server at `url`; `close` closes nothing there (its data stays for a reopening). */
export function remoteStore(url: string, name: string): VerificationStore {
  const call = async (method: string, args: unknown[]) => {
    const answer = await fetch(`${url}/${encodeURIComponent(name)}/${method}`, {method: 'POST', body: JSON.stringify(args)})
    const body = (await answer.json()) as {value?: unknown; error?: string}
    if (!answer.ok) throw new Error(`${method} failed there: ${body.error}`)
    return body.value as never
  }
  return {
    latestSession: (userRef) => call('latestSession', [userRef]),
    verifiedSession: (userRef) => call('verifiedSession', [userRef]),
    getSession: (id) => call('getSession', [id]),
    countSessions: (userRef) => call('countSessions', [userRef]),
    countSubmittedSessions: (from, to) => call('countSubmittedSessions', [from, to]),
    insertSession: (session) => call('insertSession', [session]),
    recordEvent: (event) => call('recordEvent', [event]),
    markEventHandled: (eventId) => call('markEventHandled', [eventId]),
    takeCount: (key, windowEnd, max, at) => call('takeCount', [key, windowEnd, max, at]),
    releaseCount: (key, windowEnd) => call('releaseCount', [key, windowEnd]),
    claimAttempt: (userRef, seenSessionId) => call('claimAttempt', [userRef, seenSessionId]),
    ping: () => call('ping', []),
    close() {},
  }
}
