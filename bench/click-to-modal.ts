/**
 * Click to modal: how long a user waits between clicking "Verify" and Stripe's modal being asked to
 * open (`stripe.verifyIdentity` called), when the session endpoint and Stripe.js each take the same
 * network latency. Stripe.js is the real `loadStripe` path: js.stripe.com is intercepted and answered,
 * after the latency, with a double of Stripe.js that records when `verifyIdentity` is called.
 */
import {readdir, readFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {type Browser, type BrowserContext, type Page} from 'playwright-core'
import {launchChromium} from '../harness/chromium.mjs'
import {median, percentile} from './stats.js'

/** The ways of opening the modal that are compared. */
export const CLICK_FLOWS = {
  element: 'identity-verify (Stripe.js preloaded on intent)',
  rested: 'identity-verify, the pointer resting 300 ms before the click',
  touch: 'identity-verify, a touch start 100 ms before the click',
  none: 'identity-verify prefetch="none"',
  sequential: 'fetch the secret, then load Stripe.js',
  eager: "Stripe.js in the page's head (Stripe's sample)",
} as const
export type ClickFlow = keyof typeof CLICK_FLOWS

/** Timings of one flow, in milliseconds. */
export interface ClickToModal {
  flow: ClickFlow
  description: string
  runs: number
  median: number
  p90: number
  min: number
  max: number
  /** The median divided by the single-latency floor. */
  ratioToFloor: number
  /** Median of how long before the click Stripe.js was requested (negative: after it). */
  stripeJsLeadMs: number
  samples: number[]
}

/** What the runs were made with. */
export interface ClickToModalSetup {
  latencyMs: number
  runs: number
  chromium: string
}

const PUBLISHABLE_KEY = 'pk_test_bench'
const CLIENT_SECRET = 'vs_bench_secret_bench'

/** The release train @stripe/stripe-js expects, read from the installed loader so the double matches it. */
async function expectedStripeJsVersion(root: string): Promise<string> {
  const loader = await readFile(`${root}/node_modules/@stripe/stripe-js/dist/pure.mjs`, 'utf8')
  const train = /RELEASE_TRAIN = '([a-z0-9]+)'/.exec(loader)?.[1]
  if (!train) throw new Error('cannot find the Stripe.js release train in @stripe/stripe-js')
  return train
}

/** A Stripe.js double: `Stripe(key).verifyIdentity()` records the time of its call and never settles (the modal stays open). */
function stripeJsDouble(version: string): string {
  return `(() => {
  function Stripe(key) {
    return {
      _registerWrapper() {},
      verifyIdentity(clientSecret) {
        window.__verifyIdentity = {at: performance.now(), clientSecret}
        return new Promise(() => {})
      },
    }
  }
  Stripe.version = ${JSON.stringify(version)}
  window.Stripe = Stripe
})()`
}

// The time of the first click, taken from the input event itself, before any page code runs.
const RECORD_CLICK = `document.addEventListener('click', (event) => { window.__clickAt ??= event.timeStamp }, true)`

// The button starts below the fold, so that the element's preload on visibility gets no head start:
// the user scrolls to it and clicks, and the pointer is over it only as the click comes.
const BELOW_THE_FOLD = `<div style="height: 200vh">Terms and conditions…</div>`

function pages(stripeJsUrl: string): Record<ClickFlow, string> {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Verify</title>`
  const element = (attributes = '') => `${head}<script type="module" src="/identity-verify.js"></script></head><body>${BELOW_THE_FOLD}
<identity-verify publishable-key="${PUBLISHABLE_KEY}" endpoint="/create-verification-session"${attributes}>Verify my identity</identity-verify>
</body></html>`
  return {
    element: element(),
    rested: element(),
    touch: element(),
    none: element(' prefetch="none"'),
    // As an integration that loads Stripe.js only when it is needed does it.
    sequential: `${head}</head><body>${BELOW_THE_FOLD}<button id="verify">Verify my identity</button>
<script type="module">
import {loadStripe} from '/stripe-js/pure.mjs'
document.getElementById('verify').addEventListener('click', async () => {
  const response = await fetch('/create-verification-session', {method: 'POST'})
  const {client_secret} = await response.json()
  const stripe = await loadStripe('${PUBLISHABLE_KEY}')
  await stripe.verifyIdentity(client_secret)
})
</script></body></html>`,
    // As Stripe's sample page does it: Stripe.js blocks the page load, the click only fetches the secret.
    eager: `${head}<script src="${stripeJsUrl}"></script></head><body>${BELOW_THE_FOLD}<button id="verify">Verify my identity</button>
<script type="module">
const stripe = Stripe('${PUBLISHABLE_KEY}')
document.getElementById('verify').addEventListener('click', async () => {
  const response = await fetch('/create-verification-session', {method: 'POST'})
  const {client_secret} = await response.json()
  await stripe.verifyIdentity(client_secret)
})
</script></body></html>`,
  }
}

/** Serves the three pages, our build (the script and the modules it loads), Stripe's loader, and a session endpoint that answers after the latency. */
async function startPageServer(root: string, latencyMs: number, stripeJsUrl: string): Promise<{url: string; creates(): number; close(): Promise<void>}> {
  const html = pages(stripeJsUrl)
  const files: Record<string, Buffer> = {'/stripe-js/pure.mjs': await readFile(`${root}/node_modules/@stripe/stripe-js/dist/pure.mjs`)}
  for (const name of await readdir(`${root}/dist`, {recursive: true})) {
    if (name.endsWith('.js')) files[`/${name}`] = await readFile(`${root}/dist/${name}`)
  }
  let creates = 0
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const flow = path.slice(1).replace(/\.html$/, '') as ClickFlow
    if (req.method === 'POST' && path === '/create-verification-session') {
      creates++
      req.resume()
      setTimeout(() => {
        res.writeHead(200, {'content-type': 'application/json', 'cache-control': 'no-store'})
        res.end(JSON.stringify({client_secret: CLIENT_SECRET}))
      }, latencyMs)
    } else if (files[path]) {
      res.writeHead(200, {'content-type': 'text/javascript', 'cache-control': 'no-store'})
      res.end(files[path])
    } else if (path.endsWith('.html') && flow in html) {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'})
      res.end(html[flow])
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    creates: () => creates,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const isElement = (flow: ClickFlow) => flow !== 'sequential' && flow !== 'eager'

/**
 * A fresh browser context (empty cache; routing disables the HTTP cache too) on the flow's page, the
 * button ready (for the element: defined and rendered) and scrolled to: where its centre is.
 */
async function openScrolled(browser: Browser, pageUrl: string, flow: ClickFlow, latencyMs: number, stripeJs: string) {
  const context: BrowserContext = await browser.newContext({hasTouch: flow === 'touch'})
  await context.route('https://js.stripe.com/**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, latencyMs))
    await route.fulfill({status: 200, contentType: 'text/javascript', body: stripeJs}).catch(() => {})
  })
  await context.addInitScript(RECORD_CLICK)
  const page = await context.newPage()
  await page.goto(`${pageUrl}/${flow}.html`, {waitUntil: 'domcontentloaded'})
  const selector = isElement(flow) ? 'identity-verify' : '#verify'
  await page.waitForFunction((selector) => {
    const target = document.querySelector(selector)
    return target && (target.localName !== 'identity-verify' || target.shadowRoot?.querySelector('button'))
  }, selector)
  const {x, y} = await page.evaluate((selector) => {
    const target = document.querySelector(selector)!
    target.scrollIntoView({block: 'center'})
    const box = target.getBoundingClientRect()
    return {x: box.x + box.width / 2, y: box.y + box.height / 2}
  }, selector)
  return {context, page, x, y}
}

/**
 * The user's gesture, right after scrolling to the button. By default the pointer comes over it
 * (pointerover, pointerenter) and presses straight away, with none of the dwell a person's hand adds
 * before a click; `rested`: the pointer rests on it 300 ms first; `touch`: a finger touches it once the
 * element has loaded what it loads on sight, and lifts 100 ms later, which taps.
 */
async function press(context: BrowserContext, page: Page, flow: ClickFlow, x: number, y: number): Promise<void> {
  if (flow === 'touch') {
    // A finger comes a moment after the scroll has brought the button into view: once the element has
    // loaded what it loads on sight. Touched at once, Chromium holds the page's loading tasks while it
    // waits to see whether the touch scrolls, and that module would arrive with the tap.
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('/hosted-flow.js')))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Input.dispatchTouchEvent', {type: 'touchStart', touchPoints: [{x, y}]})
    await new Promise((resolve) => setTimeout(resolve, 100))
    await cdp.send('Input.dispatchTouchEvent', {type: 'touchEnd', touchPoints: []})
    return
  }
  await page.mouse.move(x, y)
  if (flow === 'rested') await new Promise((resolve) => setTimeout(resolve, 300))
  await page.mouse.down()
  await page.mouse.up()
}

/** One click, in a fresh browser context. */
async function clickOnce(browser: Browser, pageUrl: string, flow: ClickFlow, latencyMs: number, stripeJs: string): Promise<{elapsed: number; stripeJsLead: number}> {
  const {context, page, x, y} = await openScrolled(browser, pageUrl, flow, latencyMs, stripeJs)
  try {
    await press(context, page, flow, x, y)
    const handle = await page.waitForFunction(
      () => {
        const w = window as unknown as {__clickAt?: number; __verifyIdentity?: {at: number; clientSecret: string}}
        if (!w.__verifyIdentity || w.__clickAt === undefined) return null
        const stripeJs = performance.getEntriesByType('resource').find((entry) => entry.name.startsWith('https://js.stripe.com/'))
        return {
          elapsed: w.__verifyIdentity.at - w.__clickAt,
          stripeJsLead: stripeJs ? w.__clickAt - stripeJs.startTime : Number.NaN,
          clientSecret: w.__verifyIdentity.clientSecret,
        }
      },
      undefined,
      {timeout: 15_000},
    )
    const {elapsed, stripeJsLead, clientSecret} = (await handle.jsonValue())!
    if (clientSecret !== CLIENT_SECRET) throw new Error(`${flow}: verifyIdentity got another client secret`)
    return {elapsed, stripeJsLead}
  } finally {
    await context.close()
  }
}

/** Requests to the session endpoint per 100 page views with the element, without a click. */
export interface PrefetchRequests {
  views: number
  /** The button scrolled into view, the pointer kept away: Stripe.js loads, the endpoint is not asked. */
  seenPer100: number
  /** The button scrolled into view and the pointer resting on it 300 ms, then leaving. */
  restedPer100: number
}

/** Counts the session endpoint's requests over `views` page views of each kind, each in a fresh context, a second after the gesture. */
export async function measurePrefetchRequests(root: string, {latencyMs = 300, views = 20} = {}): Promise<PrefetchRequests> {
  const version = await expectedStripeJsVersion(root)
  const stripeJs = stripeJsDouble(version)
  const server = await startPageServer(root, latencyMs, `https://js.stripe.com/${version}/stripe.js`)
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    const count = async (rest: boolean) => {
      const before = server.creates()
      for (let view = 0; view < views; view++) {
        const {context, page, x, y} = await openScrolled(browser!, server.url, 'element', latencyMs, stripeJs)
        if (rest) await page.mouse.move(x, y)
        await new Promise((resolve) => setTimeout(resolve, rest ? 300 : 0))
        await page.mouse.move(0, 0)
        await new Promise((resolve) => setTimeout(resolve, 1000))
        await context.close()
      }
      return ((server.creates() - before) * 100) / views
    }
    return {views, seenPer100: await count(false), restedPer100: await count(true)}
  } finally {
    await browser?.close()
    await server.close()
  }
}

/** Click-to-modal times of each flow: `runs` clicks each, interleaved so that machine noise falls on all alike. */
export async function measureClickToModal(
  root: string,
  {latencyMs = 300, runs = 21, flows = Object.keys(CLICK_FLOWS) as ClickFlow[]} = {},
): Promise<{setup: ClickToModalSetup; results: ClickToModal[]}> {
  const version = await expectedStripeJsVersion(root)
  const stripeJsUrl = `https://js.stripe.com/${version}/stripe.js`
  const stripeJs = stripeJsDouble(version)
  const server = await startPageServer(root, latencyMs, stripeJsUrl)
  let browser: Browser | undefined
  try {
    browser = await launchChromium()
    // One discarded click per flow warms up the browser, the server and the JIT.
    for (const flow of flows) await clickOnce(browser, server.url, flow, latencyMs, stripeJs)
    const samples = Object.fromEntries(flows.map((flow) => [flow, [] as number[]])) as Record<ClickFlow, number[]>
    const leads = Object.fromEntries(flows.map((flow) => [flow, [] as number[]])) as Record<ClickFlow, number[]>
    for (let run = 0; run < runs; run++) {
      for (const flow of flows) {
        const {elapsed, stripeJsLead} = await clickOnce(browser, server.url, flow, latencyMs, stripeJs)
        samples[flow].push(elapsed)
        leads[flow].push(stripeJsLead)
      }
    }
    const results = flows.map((flow): ClickToModal => {
      const sample = samples[flow]
      return {
        flow,
        description: CLICK_FLOWS[flow],
        runs: sample.length,
        median: median(sample),
        p90: percentile(sample, 90),
        min: Math.min(...sample),
        max: Math.max(...sample),
        ratioToFloor: median(sample) / latencyMs,
        stripeJsLeadMs: median(leads[flow]),
        samples: sample.map((ms) => Math.round(ms * 10) / 10),
      }
    })
    return {setup: {latencyMs, runs, chromium: browser.version()}, results}
  } finally {
    await browser?.close()
    await server.close()
  }
}
