/**
 * Where the verification can run, decided before any request: Stripe's modal, or Stripe's hosted page
 * (the session's `url`) in this tab or a new one. A module of its own, which the element loads on the
 * first sign of intent, so that a page's first load does not carry it.
 */
import {RETURN_URL_HEADER} from '../protocol/wire.js'
import type {ElementErrorCode} from './events.js'
import {watchIntent as watchForPrefetch, type Post, type Prefetching} from './prefetch.js'

// What a session's answer means, the client secret's prefetch and Stripe's modal come in this module:
// it loads on the first sign of intent, and the click awaits it before any request.
export {drop, takePrefetched} from './prefetch.js'
export {sessionIdOf, usable} from './session-answer.js'
export {openModal} from './modal.js'

/** How the element asks for verification: `auto` (the modal where it can work), `modal` or `redirect`. */
export type Mode = 'auto' | 'modal' | 'redirect'

/** Where the flow goes: the modal, the hosted page in this tab, or in a new tab. */
export type Way = 'modal' | 'redirect' | 'tab'

/** Why the flow cannot run here at all: the error code the element reports. */
export type Blocked = Extract<ElementErrorCode, 'insecure_context' | 'camera_blocked'>

// Browsers inside apps (Facebook, Instagram, TikTok, LinkedIn, Snapchat, Line, WeChat, Pinterest, X),
// named by what each adds to its user agent; their web views often cannot open the camera for the modal.
const IN_APP_BROWSER = /FBAN|FBAV|FB_IAB|Instagram|musical_ly|Bytedance|TikTok|LinkedInApp|Snapchat|\bLine\/|MicroMessenger|Pinterest|Twitter/i

/** What the page's permissions policy says of the camera: a frame from another origin gets it only with `allow="camera"`. */
function cameraAllowed(): boolean {
  const policy =
    (document as {permissionsPolicy?: {allowsFeature(feature: string): boolean}}).permissionsPolicy ??
    (document as {featurePolicy?: {allowsFeature(feature: string): boolean}}).featurePolicy
  return policy?.allowsFeature('camera') ?? true
}

/**
 * Where the flow for `mode` can run here, or the error code that says why it cannot at all: an
 * insecure page cannot use a camera or keep what the user sends private (`insecure_context`), and
 * `modal` in a frame without the camera has nowhere to go (`camera_blocked`). Where the frame has no
 * camera, `auto` and `redirect` open the hosted page in a new tab, since Stripe's page is not framed;
 * `auto` in a known in-app browser goes to the hosted page in this tab.
 */
export function preflight(mode: Mode, userAgent = navigator.userAgent): Way | Blocked {
  if (!isSecureContext) return 'insecure_context'
  if (!cameraAllowed()) return mode === 'modal' ? 'camera_blocked' : 'tab'
  if (mode === 'redirect' || (mode !== 'modal' && IN_APP_BROWSER.test(userAgent))) return 'redirect'
  return 'modal'
}

/** The hosted flow's way, with the tab opened for it while the click still allows one; the modal's is undefined. */
export interface Hosted {
  way: Exclude<Way, 'modal'>
  tab?: Window
}

/**
 * Runs the preflight for `mode`: answers its error code, or the hosted flow to take (undefined for
 * the modal). For a new tab, a blank one is opened at once, while the click still allows it; the
 * hosted page's URL goes to it once the server has answered. A blocked tab leaves only `camera_blocked`.
 */
export function prepare(mode: Mode): Hosted | Blocked | undefined {
  const way = preflight(mode)
  if (way === 'modal') return
  if (way !== 'redirect' && way !== 'tab') return way
  if (way === 'redirect') return {way}
  const tab = window.open('', '_blank')
  if (!tab) return 'camera_blocked'
  // Stripe's page must not reach back into this one.
  tab.opener = null
  return {way, tab}
}

/** The header that asks the server for the hosted page's URL, which comes back to this page as the address bar shows it, without its fragment. */
export const returnUrlHeader = (): Record<string, string> => ({[RETURN_URL_HEADER]: location.href.split('#')[0]!})

/**
 * Sends the user to the hosted page at `url`: in the tab opened for it, or in this one, marking for the
 * tab's lifetime under `mark` that `id` (an element's id) sent them, so that the element on the page
 * they come back to resumes as after a submission. The mark holds no session data.
 */
export function go({tab}: Hosted, url: string, mark: string, id: string, navigate: (url: string) => void): void {
  if (tab) return void (tab.location.href = url)
  try {
    sessionStorage.setItem(mark, id)
    // Back to this very page from the browser's cache (the user went back rather than through Stripe):
    // nothing was submitted, and a later visit must not take the mark for a return.
    addEventListener('pageshow', (event) => event.persisted && sessionStorage.removeItem(mark), {once: true})
  } catch {
    // Storage blocked: the page the user comes back to still shows the status the server confirms.
  }
  navigate(url)
}

/**
 * Whether the user comes back from Stripe's hosted page, on the page of the element that `go` marked
 * under `mark`: the mark is taken once, and the back button (the user came back here rather than
 * through Stripe) means nothing was submitted.
 */
export function cameBack(mark: string): boolean {
  sessionStorage.removeItem(mark)
  return (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.type !== 'back_forward'
}

/**
 * Watches `element` for a strong sign of intent, on which the click's client secret is fetched ahead;
 * only where the click opens the modal (the hosted page's URL is asked for at the click).
 */
export const watchIntent = (element: Prefetching, event: Event | undefined, post: Post): void => watchForPrefetch(element, event, post, () => preflight(element.mode) === 'modal')
