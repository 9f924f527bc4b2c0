// Puts elements on the test page and watches what a user or an integrator would see.
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'

/** The element's events, as the contract names them. */
export const EVENT_TYPES = [
  'identity-verify-start',
  'identity-verify-open',
  'identity-verify-submitted',
  'identity-verify-cancel',
  'identity-verify-error',
  'identity-verify-status',
] as const

/** An event as an integrator listening on `document` receives it. */
export interface Seen {
  type: string
  detail: unknown
}

/** A fresh name for the fake endpoints, so that each test reads its own requests. */
export const uniqueName = (): string => crypto.randomUUID().replaceAll('-', '').slice(0, 12)

/**
 * The fake endpoints' URLs for one test; `server` puts them on another origin than the page's, as a
 * server on another site is (`http://127.0.0.1:<port>` for a page on `http://localhost:<port>`).
 */
export function endpoints(name: string, query = '', server = '') {
  return {
    session: `${server}/fake/session?as=${name}${query && '&' + query}`,
    status: (answers: string, statusQuery = '') => `${server}/fake/status?as=${name}&answers=${answers}${statusQuery && '&' + statusQuery}`,
  }
}

/** The test server's address on another origin than the page's. */
export const otherOrigin = `http://127.0.0.1:${location.port}`

/** What the fake endpoints received for `name`. */
export async function serverLog(name: string): Promise<{
  sessions: {method: string; contentType: string; csrf: string; cookie: string; visitor: string; returnUrl: string; intent: string; body: string; aborted: boolean}[]
  statusRequests: number
  statusVisitors: string[]
  hostedPages: {opener: boolean}[]
  stripeJsLoads: number
}> {
  return (await fetch(`/fake/log?as=${name}`)).json()
}

/** Resolves once the fake status endpoint of `name` has had `count` requests (an element with `status-endpoint` asks once on connect). */
export const statusAsked = (name: string, count = 1) => waitFor(async () => (await serverLog(name)).statusRequests >= count, `${count} status requests`)

/** Adds an `<identity-verify>` with these attributes to the page; `cleanUp()` removes it. */
export function mount(attributes: Record<string, string>, label = 'Verify my identity'): IdentityVerifyElement {
  const element = document.createElement('identity-verify')
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
  element.textContent = label
  document.body.append(element)
  mounted.add(element)
  return element
}

const mounted = new Set<Element>()

/** Removes what `mount` added. */
export function cleanUp(): void {
  for (const element of mounted) element.remove()
  mounted.clear()
}

/**
 * Records every event of the element as a listener on `document` sees it; fails the test at the
 * first event that does not bubble or does not cross shadow roots.
 */
export function record(): {seen: Seen[]; stop: () => void} {
  const seen: Seen[] = []
  const listener = (event: Event) => {
    if (!event.bubbles || !event.composed) throw new Error(`${event.type} does not bubble out of shadow roots`)
    seen.push({type: event.type, detail: (event as CustomEvent).detail})
  }
  for (const type of EVENT_TYPES) document.addEventListener(type, listener)
  return {seen, stop: () => EVENT_TYPES.forEach((type) => document.removeEventListener(type, listener))}
}

/** Resolves once `condition()` holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => unknown, what: string, timeoutMs = 4000): Promise<void> {
  // performance.now(): a test may move Date.now() on.
  const until = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The element's native button, or null when it is not shown. */
export const buttonOf = (element: IdentityVerifyElement) => element.shadowRoot!.querySelector('button')

/** The element's message area (its live region). */
export const messageOf = (element: IdentityVerifyElement) => element.shadowRoot!.querySelector<HTMLElement>('[part=message]')!

/** A promise with its settle functions, to hold Stripe's modal open until the test closes it. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => (resolve = done))
  return {promise, resolve}
}
