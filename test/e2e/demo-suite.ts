import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before} from 'node:test'
import {type Browser, type BrowserContext, type BrowserContextOptions, type Page} from 'playwright-core'
import {startStandaloneServer, type StandaloneServer} from '../../harness/standalone-server.js'
import {ELEMENT_EVENT_TYPES} from '../../demo/element-events.js'
import type {Outcome} from '../../emulator/test-cases.js'
import {launchChromium} from '../../harness/chromium.mjs'

/** The `npm start` server and a Chromium shared by the tests of one file. */
export interface DemoSuite {
  readonly server: StandaloneServer
  readonly browser: Browser
  /** Stops the server and starts it again on the same ports with the same database. */
  restart(): Promise<void>
  /** Runs `test` as a new visitor, then checks no page broke the Content-Security-Policy, and closes. */
  visit<T>(test: (visitor: Visitor) => Promise<T>): Promise<T>
}

/**
 * Starts the server (emulator mode, free ports, a throwaway database) and Chromium before the file's
 * tests, and stops both after them. Each test opens its own visitor, so they never share a cookie.
 */
export function demoSuite(): DemoSuite {
  let server: StandaloneServer | undefined
  let browser: Browser | undefined
  let folder: string | undefined
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'identity-verify-e2e-'))
    ;[server, browser] = await Promise.all([startStandaloneServer({databasePath: join(folder, 'store.sqlite')}), launchChromium()])
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
    if (folder) rmSync(folder, {recursive: true, force: true})
  })
  return {
    get server() {
      if (!server) throw new Error('The demo server is not running')
      return server
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not running')
      return browser
    },
    async restart() {
      const {databasePath, port, emulatorPort} = this.server
      await this.server.stop()
      server = undefined
      server = await startStandaloneServer({databasePath, port, emulatorPort})
    },
    async visit(test) {
      const visitor = await newVisitor(this.browser)
      try {
        const result = await test(visitor)
        assert.deepEqual(visitor.cspViolations, [], 'Content-Security-Policy violations')
        return result
      } finally {
        await visitor.close()
      }
    },
  }
}

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

/** Opens a new visitor whose pages report element events and CSP violations back to the test; `options` are its context's (a user agent, say). */
export async function newVisitor(browser: Browser, options: BrowserContextOptions = {}): Promise<Visitor> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}, ...options})
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
    document.addEventListener('securitypolicyviolation', (event) => window.recordCspViolation(`${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`))
  }, ELEMENT_EVENT_TYPES)
  const page = await context.newPage()
  return {context, page, events, cspViolations, close: () => context.close()}
}

/** Clicks an element's button on the current page and picks `outcome` in the emulator's window. */
export async function chooseInModal(visitor: Visitor, element: string, outcome: Outcome): Promise<void> {
  await visitor.page.locator(element).getByRole('button').click()
  await visitor.page.frameLocator('iframe').locator(`button[data-outcome="${outcome}"]`).click()
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

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * axe-core's WCAG 2.1 AA violations on the page, as `rule: targets` lines; with `seriousOnly`, the
 * serious and critical ones alone.
 */
export async function accessibilityViolations(page: Page, {seriousOnly = false} = {}): Promise<string[]> {
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    type Violation = {id: string; impact: string; nodes: {target: string[]}[]}
    const axe = (window as unknown as {axe: {run(options: object): Promise<{violations: Violation[]}>}}).axe
    return (await axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
  })
  return violations.filter((v) => !seriousOnly || v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** How many sessions the emulator of `server` holds, all visitors together: a new one would be billed once submitted. */
export async function sessionsAtStripe(server: StandaloneServer): Promise<number> {
  const response = await fetch(`${server.emulatorUrl}/v1/identity/verification_sessions?limit=100`, {
    headers: {authorization: 'Bearer sk_test_emulator'},
  })
  assert.equal(response.status, 200)
  return ((await response.json()) as {data: unknown[]}).data.length
}
