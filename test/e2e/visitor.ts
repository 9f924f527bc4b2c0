import type {Browser, BrowserContext, Page} from 'playwright-core'
import {ELEMENT_EVENT_TYPES} from '../../demo/element-events.js'

/** A DOM event an `<identity-verify>` fired, as the page saw it. */
export interface RecordedEvent {
  type: string
  detail: Record<string, unknown>
  /** The element that fired it: `#id` or `.class`. */
  target: string
  /** The page it fired on. */
  path: string
}

/** A fresh visitor: its own browser context (so its own cookie), recording what the element does. */
export interface Visitor {
  context: BrowserContext
  page: Page
  /** Every element event, across navigations, in order. */
  events: RecordedEvent[]
  /** Every Content-Security-Policy violation any page reported. */
  cspViolations: string[]
  close(): Promise<void>
}

declare global {
  interface Window {
    recordElementEvent(event: RecordedEvent): void
    recordCspViolation(violation: string): void
  }
}

/** Opens a new visitor whose pages report element events and CSP violations back to the test. */
export async function newVisitor(browser: Browser): Promise<Visitor> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}})
  const events: RecordedEvent[] = []
  const cspViolations: string[] = []
  await context.exposeFunction('recordElementEvent', (event: RecordedEvent) => events.push(event))
  await context.exposeFunction('recordCspViolation', (violation: string) => cspViolations.push(violation))
  await context.addInitScript((types: string[]) => {
    for (const type of types) {
      document.addEventListener(type, (event) => {
        const target = event.target as Element
        window.recordElementEvent({
          type,
          detail: (event as CustomEvent).detail,
          target: target.id ? `#${target.id}` : `.${[...target.classList].join('.')}`,
          path: location.pathname,
        })
      })
    }
    document.addEventListener('securitypolicyviolation', (event) =>
      window.recordCspViolation(`${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`),
    )
  }, ELEMENT_EVENT_TYPES)
  const page = await context.newPage()
  return {context, page, events, cspViolations, close: () => context.close()}
}

/** Waits until `check` returns a value (not undefined/false), polling; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
}
