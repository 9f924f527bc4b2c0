/**
 * Following a session's server-confirmed status, written once: when to ask the status endpoint again,
 * and what each answer means to someone waiting on it. The element follows with it after a
 * submission; the script-tag build exports it for confirmation pages (the demo's `/confirmation`).
 */
import type {SessionStatusAnswer} from '../protocol/wire.js'

/** How long to keep asking: the server's webhook may never come. */
const FOLLOW_FOR_MS = 120_000

// Right after a submission the server may still answer what it knew before the webhook arrived: a
// session waiting for input, for up to the first of these, or the reason an earlier attempt on the
// same session failed, for up to the second.
const SUBMISSION_GRACE_MS = 15_000
const STALE_ERROR_MS = 3_000

/**
 * What a status answer means to someone waiting on it: `verified` and `canceled` are final;
 * `requires_input`, the user must try again (`last_error` says why); `processing` and `checking`, it
 * is still being checked (`checking`: the server has not heard of the submission yet); `waiting`,
 * nothing was submitted.
 */
export type StatusMeaning = 'verified' | 'canceled' | 'requires_input' | 'processing' | 'checking' | 'waiting'

/** What `answer` means `sinceSubmission` ms after the user submitted; omit it when they did not just submit. */
export function meaningOf({status, last_error}: SessionStatusAnswer, sinceSubmission = Infinity): StatusMeaning {
  return status !== 'requires_input' ? status : sinceSubmission < (last_error ? STALE_ERROR_MS : SUBMISSION_GRACE_MS) ? 'checking' : last_error ? status : 'waiting'
}

/** Whether following can stop: the status is final, or the user must act. */
export const isSettled = (meaning: StatusMeaning): boolean => meaning === 'verified' || meaning === 'canceled' || meaning === 'requires_input'

/**
 * Calls `ask` after 0.5, 1, 2 and 4 s, then every 8 s, until it resolves to true, `signal` aborts,
 * or two minutes have passed.
 */
export async function followStatus(ask: () => unknown, signal?: AbortSignal): Promise<void> {
  for (let wait = 500, until = Date.now() + FOLLOW_FOR_MS; Date.now() < until; wait = Math.min(wait * 2, 8000)) {
    await new Promise((resolve) => setTimeout(resolve, wait))
    if (signal?.aborted || (await ask())) return
  }
}
