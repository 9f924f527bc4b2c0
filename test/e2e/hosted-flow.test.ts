import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import type {Browser, Page} from 'playwright-core'
import {launchChromium} from '../../harness/chromium.mjs'
import {freePort} from '../../harness/server-process.js'
import {startStandaloneServer, type StandaloneServer} from '../../harness/standalone-server.js'
import {startStaticSite, type StaticSite} from '../../harness/static-site.js'
import {eventually, newVisitor, type Visitor} from './demo-suite.js'

// Where the modal cannot go: a shop's pages on another site (http://127.0.0.1:<port>, in
// ALLOWED_ORIGINS) with `<identity-verify>` pointed at `npm start`'s server (http://localhost:<port>),
// in Chromium. The hosted page is the emulator's, at each session's `url`.

const INSTAGRAM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 618329009)'

// A host name that is not localhost, over http: not a secure context.
const INSECURE_HOST = 'shop.test'

let server: StandaloneServer
let browser: Browser
let shop: StaticSite
let framing: StaticSite
let folder: string

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'identity-verify-hosted-'))
  for (const site of ['shop', 'framing']) mkdirSync(join(folder, site))
  const shopPort = await freePort()
  ;[server, browser] = await Promise.all([
    startStandaloneServer({databasePath: join(folder, 'store.sqlite'), env: {ALLOWED_ORIGINS: `http://127.0.0.1:${shopPort}`}}),
    launchChromium({args: [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`]}),
  ])
  shop = await startStaticSite(join(folder, 'shop'), shopPort)
  framing = await startStaticSite(join(folder, 'framing'))
})

after(async () => {
  await browser?.close()
  await server?.stop()
  await shop?.close()
  await framing?.close()
  if (folder) rmSync(folder, {recursive: true, force: true})
})

/** Publishes a shop page at `/<file>` holding `body`, with the element's script from the server. */
function publish(file: string, body: string, site = 'shop'): void {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Birch &amp; Clay</title>
<script src="${server.emulatorUrl}/stripe.js"></script>
<script type="module" src="${server.url}/identity-verify.js"></script>
</head>
<body>
<h1>Birch &amp; Clay</h1>
${body}
</body>
</html>
`
  writeFileSync(join(folder, site, file), html)
}

/** An element of the shop's, with absolute endpoints on the server, and `attributes`. */
const element = (attributes = '') =>
  `<identity-verify id="verify" publishable-key="pk_test_emulator" endpoint="${server.url}/create-verification-session" status-endpoint="${server.url}/verification-session" ${attributes}>Verify my identity</identity-verify>`

/** Runs `test` as a new visitor (a browser context of its own), with `options` for the context. */
async function visit(test: (visitor: Visitor) => Promise<void>, options: {userAgent?: string} = {}): Promise<void> {
  const visitor = await newVisitor(browser, options)
  try {
    await test(visitor)
  } finally {
    await visitor.close()
  }
}

/** The create requests the page sent to the server. */
function createRequests(page: Page): string[] {
  const requests: string[] = []
  page.context().on('request', (request) => {
    if (request.url().includes('/create-verification-session') && request.method() === 'POST') requests.push(request.url())
  })
  return requests
}

const hostedPage = new RegExp('/start/test_\\w+$')

describe('mode="redirect"', () => {
  it('goes to the hosted page, and back from it shows the server-confirmed verified without a click, leaving no session data in the history', async () => {
    publish('redirect.html', element('mode="redirect"'))
    await visit(async ({page, events}) => {
      const visited: string[] = []
      page.on('framenavigated', (frame) => frame === page.mainFrame() && visited.push(frame.url()))
      const shopPage = `${shop.url}/redirect.html?from=newsletter`
      await page.goto(shopPage)
      await page.locator('identity-verify').getByRole('button').click()
      await page.waitForURL(hostedPage)
      assert.equal(new URL(page.url()).port, String(server.emulatorPort), 'the emulator’s hosted page')
      await page.locator('button[data-outcome="verified"]').click()
      await page.waitForURL(shopPage)
      await page.locator('identity-verify[state="verified"]').waitFor({timeout: 20_000})

      const fromReturn = events.filter((event) => event.path === '/redirect.html').slice(1)
      const sessionId = fromReturn[0]?.detail.sessionId as string
      assert.match(sessionId, /^vs_/)
      assert.deepEqual(
        fromReturn.map((event) => event.type),
        ['identity-verify-submitted', 'identity-verify-status'],
      )
      assert.deepEqual(fromReturn.at(-1)!.detail, {sessionId, status: 'verified', lastError: null})
      assert.equal(await page.locator('identity-verify').getByRole('button').count(), 0, 'no button left to click')

      // Every address the tab showed, the hosted page's included: none names the session or its secret.
      assert.equal(page.url(), shopPage)
      assert.ok(visited.length >= 3, visited.join(' '))
      for (const url of visited) assert.doesNotMatch(url, /vs_|_secret_/, url)
      assert.doesNotMatch(JSON.stringify(events), /_secret_/)
      const storage = await page.evaluate(() => JSON.stringify({...localStorage, ...sessionStorage}))
      assert.doesNotMatch(storage, /vs_|_secret_/)
      // The way back leads to the hosted page, which is used up.
      await page.goBack()
      assert.match(page.url(), hostedPage)
      assert.match((await page.locator('[role="status"]').textContent()) ?? '', /submitted already/)
    })
  })
})

describe('mode="redirect", going back', () => {
  it('from the hosted page with the back button, without choosing, leaves the element as it was, then and on the next visit', async () => {
    publish('redirect.html', element('mode="redirect"'))
    await visit(async ({page, events}) => {
      await page.goto(`${shop.url}/redirect.html`)
      await page.locator('identity-verify').getByRole('button').click()
      await page.waitForURL(hostedPage)
      // The page comes back from the browser's cache or loads again (and then asks the server).
      const asked = page.waitForResponse((response) => response.url().endsWith('/verification-session'), {timeout: 3000}).catch(() => null)
      await page.goBack()
      await asked
      await page.locator('identity-verify').getByRole('button').waitFor()
      assert.equal(await page.evaluate(() => sessionStorage.getItem('identity-verify-hosted')), null, 'the mark is gone')
      // Listening before the reload: the element may ask before the reload's load event.
      const askedAgain = page.waitForResponse((response) => response.url().endsWith('/verification-session'))
      await page.reload()
      await askedAgain
      await page.locator('identity-verify').getByRole('button').waitFor()
      assert.notEqual(await page.locator('identity-verify').getAttribute('state'), 'submitted')
      assert.deepEqual(
        events.filter((event) => event.type === 'identity-verify-submitted'),
        [],
      )
    })
  })
})

describe('mode="auto" where the modal cannot go', () => {
  it('takes the hosted page in a known in-app browser', async () => {
    publish('auto.html', element())
    await visit(
      async ({page}) => {
        await page.goto(`${shop.url}/auto.html`)
        await page.locator('identity-verify').getByRole('button').click()
        await page.waitForURL(hostedPage)
      },
      {userAgent: INSTAGRAM_UA},
    )
  })

  it('opens the hosted page in a new tab from a frame on another site without allow="camera"; in that frame mode="modal" reports camera_blocked', async () => {
    publish('framed.html', `${element()}\n${element('id="modal" mode="modal"').replace('id="verify" ', '')}`)
    writeFileSync(join(folder, 'framing', 'index.html'), `<!doctype html><title>Market</title><iframe src="${shop.url}/framed.html" width="600" height="400"></iframe>`)
    await visit(async ({page, context, events}) => {
      const creates = createRequests(page)
      await page.goto(`${framing.url}/`)
      const frame = page.frameLocator('iframe')
      const tab = context.waitForEvent('page')
      await frame.locator('#verify').getByRole('button').click()
      const opened = await tab
      await opened.waitForURL(hostedPage)
      assert.equal(await opened.evaluate(() => window.opener), null, 'the hosted page cannot reach back')
      assert.equal(await page.locator('iframe').count(), 1, 'the page stays')
      assert.equal(await frame.locator('#verify').getAttribute('state'), 'open')

      const before = creates.length
      await frame.locator('#modal').getByRole('button').click()
      const error = await eventually('the error', () => events.find((event) => event.type === 'identity-verify-error'))
      assert.equal(error.detail.code, 'camera_blocked')
      assert.equal(error.target, '#modal')
      assert.equal(creates.length, before, 'no request before the preflight failed')
    })
  })

  it('opens the modal in that frame once it allows the camera', async () => {
    writeFileSync(
      join(folder, 'framing', 'allowed.html'),
      `<!doctype html><title>Market</title><iframe allow="camera" src="${shop.url}/framed.html" width="600" height="600"></iframe>`,
    )
    await visit(async ({page, events}) => {
      await page.goto(`${framing.url}/allowed.html`)
      await page.frameLocator('iframe').locator('#verify').getByRole('button').click()
      await eventually('the modal', () => events.some((event) => event.type === 'identity-verify-open'))
    })
  })
})

describe('an insecure page', () => {
  it('reports insecure_context before any request, whatever the mode', async () => {
    publish('insecure.html', `${element()}\n${element('mode="redirect"').replace('id="verify"', 'id="hosted"')}`)
    await visit(async ({page, events}) => {
      const creates = createRequests(page)
      await page.goto(`http://${INSECURE_HOST}:${new URL(shop.url).port}/insecure.html`)
      assert.equal(await page.evaluate(() => isSecureContext), false)
      for (const id of ['#verify', '#hosted']) {
        await page.locator(id).getByRole('button').click()
        await eventually(`the error of ${id}`, () => events.some((event) => event.type === 'identity-verify-error' && event.target === id))
      }
      const errors = events.filter((event) => event.type === 'identity-verify-error')
      assert.deepEqual(
        errors.map((event) => [event.target, event.detail.code, event.detail.message]),
        [
          ['#verify', 'insecure_context', 'Verification needs a secure (https) page.'],
          ['#hosted', 'insecure_context', 'Verification needs a secure (https) page.'],
        ],
      )
      assert.deepEqual(creates, [])
    })
  })
})

describe('a form and a tag manager', () => {
  it('a required field holds the session id once the verified test case is chosen, reset() clears it, and dataLayer has start, open, submitted without the secret', async () => {
    publish('form.html', `<form id="signup"><input name="email" value="ada@example.com">${element('name="identity" required analytics')}<button>Sign up</button></form>`)
    await visit(async ({page}) => {
      await page.goto(`${shop.url}/form.html`)
      await page.locator('identity-verify:defined').waitFor()
      const form = () =>
        page.evaluate(() => {
          const form = document.querySelector<HTMLFormElement>('#signup')!
          return {valid: form.checkValidity(), entries: [...new FormData(form)].map(([key, value]) => `${key}=${String(value)}`)}
        })
      assert.deepEqual(await form(), {valid: false, entries: ['email=ada@example.com']})
      await page.locator('identity-verify').getByRole('button').click()
      await page.frameLocator('iframe').locator('button[data-outcome="verified"]').click()
      await page.locator('identity-verify[state="submitted"], identity-verify[state="verified"]').waitFor()
      const filled = await form()
      assert.equal(filled.valid, true)
      assert.equal(filled.entries[0], 'email=ada@example.com')
      assert.match(filled.entries[1] ?? '', /^identity=vs_\w+$/)
      const sessionId = filled.entries[1]!.slice('identity='.length)

      const dataLayer = (await page.evaluate(() => (window as {dataLayer?: unknown[]}).dataLayer)) as {event: string; identityVerify: unknown}[]
      assert.deepEqual(dataLayer.slice(0, 3), [
        {event: 'identity-verify-start', identityVerify: {}},
        {event: 'identity-verify-open', identityVerify: {sessionId}},
        {event: 'identity-verify-submitted', identityVerify: {sessionId}},
      ])
      assert.doesNotMatch(JSON.stringify(dataLayer), /_secret_/)

      await page.evaluate(() => document.querySelector<HTMLFormElement>('#signup')!.reset())
      assert.deepEqual(await form(), {valid: false, entries: ['email=ada@example.com']})
    })
  })
})
