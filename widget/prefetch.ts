/**
 * The client secret made ready on a strong sign of intent (the pointer resting on the button, focus
 * on it, a touch), so that the click opens Stripe's modal without waiting on the server. Part of the
 * module the element loads on the first sign of intent; a page view alone makes no request.
 *
 * The server answers a returning visitor with the same open session, and Stripe charges per completed
 * verification, so a session made a moment early costs nothing. The answer is held in this module's
 * memory only, for the click of the element that asked for it, and taken at most once.
 */
import {INTENT_HEADER, type CreateSessionAnswer} from '../protocol/wire.js'
import {usable} from './session-answer.js'

/** What a prefetch reads of the element: its state, and what its click's request is made of. */
export interface Prefetching extends HTMLElement {
  prefetch: 'intent' | 'none'
  state: string
  mode: 'auto' | 'modal' | 'redirect'
  endpoint: string
  publishableKey?: string
  credentials: RequestCredentials
  requestBody: unknown
  requestHeaders: Record<string, string>
}

/** Sends the POST to `endpoint` that the click would, with the visitor's credential and `headers`. */
export type Post = (signal: AbortSignal, headers: Record<string, string>) => Promise<Response>

/** How long the pointer rests on the button before it counts as intent. */
const REST_MS = 50

/** The states in which the button waits for a click. */
const WAITING: string[] = ['idle', 'canceled', 'error', 'requires-input']

/** A publishable key as the click takes it (the element's own check). */
const PUBLISHABLE_KEY = /^pk_(test|live)_\w+$/

/** How long a prefetched answer waits for its click before it is dropped; well within a session's life. */
const KEEP_MS = 5 * 60_000

/** A prefetch: what its request was made of, when, and its answer (undefined when it failed). */
interface Prefetch {
  madeOf: string
  at: number
  answer: Promise<CreateSessionAnswer | undefined>
  abort: AbortController
  expiry: ReturnType<typeof setTimeout>
}

const held = new WeakMap<Prefetching, Prefetch>()

// What the click's request is made of (and `mode`, which says whether it asks for a client secret at
// all): an answer prefetched with anything else is not the click's.
// Undefined when the body is no JSON: the click reports that.
function madeOf(element: Prefetching): string | undefined {
  try {
    return JSON.stringify([element.mode, element.endpoint, element.publishableKey, element.credentials, element.requestBody, element.requestHeaders])
  } catch {
    return undefined
  }
}

/** The elements watched already, each by its listener for signs of intent. */
const watched = new WeakSet<Prefetching>()

/**
 * Watches `element` for strong intent, once per element; `event` is the sign of intent that loaded this
 * module, which came before the listeners and is acted on now. `post` sends the click's request.
 * `modalHere` says whether the click would open the modal: the hosted page's flow asks the server for
 * a URL at the click, so nothing is prefetched for it.
 */
export function watchIntent(element: Prefetching, event: Event | undefined, post: Post, modalHere: () => boolean): void {
  // Watched already: its listeners heard `event` as it came (a replay, later, would meet another state).
  if (watched.has(element)) return
  // Only while the button waits for a click: not during a flow, nor once the user has submitted; and
  // only with a publishable key the click would take (without one it reports `config` and asks nothing).
  const prefetch = () =>
    element.prefetch !== 'none' && WAITING.includes(element.state) && PUBLISHABLE_KEY.test(element.publishableKey ?? '') && modalHere() && fetchAhead(element, post)
  let rest: ReturnType<typeof setTimeout> | undefined
  // Also given the sign that loaded this module (`late`).
  const watcher = (event: Event, late?: boolean) => {
    const {type} = event
    if (type === 'pointerenter' || type === 'pointerleave') clearTimeout(rest)
    // Focus from the keyboard; a mouse's focus comes with the press, and the element's own, after the modal, is no intent.
    if (type === 'focusin') return element.shadowRoot?.querySelector(':focus-visible') && prefetch()
    if (type === 'touchstart') return prefetch()
    if (type !== 'pointerenter') return
    // A finger or a pen on the button is about to tap it; a mouse may only be passing over, and rests
    // from when it came (for the sign that loaded this module, if it is still there).
    if ((event as PointerEvent).pointerType !== 'mouse') prefetch()
    else if (!late || element.matches(':hover')) rest = setTimeout(prefetch, REST_MS - (performance.now() - event.timeStamp))
  }
  watched.add(element)
  for (const type of ['pointerenter', 'pointerleave', 'focusin', 'touchstart']) element.addEventListener(type, watcher, {passive: true})
  if (event) watcher(event, true)
}

// POSTs what the click would, unless an answer for the same request is held or on its way already.
function fetchAhead(element: Prefetching, post: Post) {
  const request = madeOf(element)
  const current = held.get(element)
  if (!request || (current && current.madeOf === request)) return
  drop(element)
  const abort = new AbortController()
  const prefetch: Prefetch = {
    madeOf: request,
    at: Date.now(),
    // A prefetch that fails says nothing: the click asks again and reports what goes wrong.
    answer: answerOf(post, abort.signal),
    abort,
    expiry: setTimeout(() => held.get(element) === prefetch && drop(element), KEEP_MS),
  }
  held.set(element, prefetch)
}

// The server's answer, when the click can use it; undefined for anything else.
async function answerOf(post: Post, signal: AbortSignal): Promise<CreateSessionAnswer | undefined> {
  try {
    // Marked, for the server to count it apart from the clicks (see `limits.perUserPrefetch`).
    const response = await post(signal, {[INTENT_HEADER]: 'prefetch'})
    const body = (await response.json()) as CreateSessionAnswer
    // A client secret; a 409 (the user verified or being checked) is left for the click to ask and report.
    return response.ok && usable(response, body, false) ? body : undefined
  } catch {
    return undefined
  }
}

/**
 * The answer prefetched for `element`'s click, if one is held for the request the click would make
 * now and has not expired: it is taken, and the next click asks the server again. Undefined otherwise,
 * or when the prefetch failed.
 */
export async function takePrefetched(element: Prefetching): Promise<CreateSessionAnswer | undefined> {
  const prefetch = held.get(element)
  const current = prefetch && prefetch.madeOf === madeOf(element) && Date.now() - prefetch.at < KEEP_MS
  if (!current) return drop(element)
  clearTimeout(prefetch.expiry)
  held.delete(element)
  return prefetch.answer
}

/** Forgets what was prefetched for `element`, stopping its request if it is still on its way. */
export function drop(element: Prefetching): undefined {
  const prefetch = held.get(element)
  held.delete(element)
  prefetch?.abort.abort()
  if (prefetch) clearTimeout(prefetch.expiry)
  return undefined
}
