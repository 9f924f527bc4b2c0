import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import type {Browser, Page} from 'playwright-core'
import {launchChromium} from '../../harness/chromium.mjs'
import {freePort} from '../../harness/server-process.js'
import {startStandaloneServer, type StandaloneServer} from '../../harness/standalone-server.js'
import {startStaticSite, type StaticSite} from '../../harness/static-site.js'
import {eventually, newVisitor, type Visitor} from './demo-suite.js'

// A site owner's page on another site: a bare static file server on http://127.0.0.1:<port>, a
// different site from the server on http://localhost:<port>, holding exactly the snippet that the
// server's /embed builder produces. Third-party cookies are blocked, as Safari and Firefox do.

let server: StandaloneServer
let browser: Browser
let shop: StaticSite
let stranger: StaticSite
let folder: string

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'identity-verify-cross-site-'))
  for (const site of ['shop', 'stranger']) mkdirSync(join(folder, site))
  const shopPort = await freePort()
  ;[server, browser] = await Promise.all([
    startStandaloneServer({databasePath: join(folder, 'store.sqlite'), env: {ALLOWED_ORIGINS: `http://127.0.0.1:${shopPort}`}}),
    launchChromium({args: ['--test-third-party-cookie-phaseout']}),
  ])
  shop = await startStaticSite(join(folder, 'shop'), shopPort)
  stranger = await startStaticSite(join(folder, 'stranger'))
})

after(async () => {
  await browser?.close()
  await server?.stop()
  await shop?.close()
  await stranger?.close()
  if (folder) rmSync(folder, {recursive: true, force: true})
})

/** The snippet the /embed builder shows once the site owner picked a language (none: the page's). */
async function builtSnippet(lang = ''): Promise<string> {
  const page = await browser.newPage()
  try {
    await page.goto(`${server.url}/embed`)
    await page.locator('#snippet-builder:not([hidden])').waitFor()
    if (lang) await page.locator('#builder-lang').selectOption(lang)
    await eventually('the snippet for the chosen language', async () => !lang || (await page.locator('#snippet-embed').textContent())!.includes(`lang="${lang}"`))
    return (await page.locator('#snippet-embed').textContent())!
  } finally {
    await page.close()
  }
}

/** Writes a site owner's page, as a CMS would render it, with the snippet pasted into its body. */
function publish(site: string, snippet: string, pageLang = 'en'): void {
  const html = `<!doctype html>\n<html lang="${pageLang}">\n<head><meta charset="utf-8"><title>Birch &amp; Clay</title></head>\n<body>\n<h1>Birch &amp; Clay</h1>\n${snippet}\n</body>\n</html>\n`
  writeFileSync(join(folder, site, 'index.html'), html)
}

/** A visitor whose console warnings and errors are kept. */
async function visitorWithConsole(): Promise<Visitor & {warnings: string[]; errors: string[]}> {
  const visitor = await newVisitor(browser)
  const warnings: string[] = []
  const errors: string[] = []
  visitor.context.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text())
    // The browser's own request for a favicon is not the page's.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`${message.text()} (${message.location().url})`)
  })
  return Object.assign(visitor, {warnings, errors})
}

function sessionsInStore(): {id: string; user_ref: string; status: string}[] {
  const db = new Database(server.databasePath, {readonly: true, fileMustExist: true})
  try {
    return db.prepare('SELECT id, user_ref, status FROM sessions').all() as {id: string; user_ref: string; status: string}[]
  } finally {
    db.close()
  }
}

/** Every value in the page's storage, for the client secret check. */
async function storageOf(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({local: {...localStorage}, session: {...sessionStorage}, cookie: document.cookie}))
}

const element = (page: Page) => page.locator('identity-verify')

describe('the snippet pasted on another site', () => {
  it('completes the verified test case there, shows the server-confirmed status, and knows the visitor after a reload', async () => {
    publish('shop', await builtSnippet())
    const visitor = await visitorWithConsole()
    try {
      const {page, events} = visitor
      // A new visitor: the status asked on connect has nothing to show, and says so without an HTTP error.
      const asked = page.waitForResponse((response) => response.url() === `${server.url}/verification-session`)
      await page.goto(`${shop.url}/`)
      assert.equal((await asked).status(), 204)
      await page.waitForLoadState('networkidle')
      assert.deepEqual(visitor.errors, [], 'no error on the new visitor’s console')
      await element(page).getByRole('button', {name: 'Verify my identity'}).click()
      await page.frameLocator('iframe').locator('button[data-outcome="verified"]').click()
      await element(page).and(page.locator('[state="verified"]')).waitFor({timeout: 20_000})
      const status = events.find((event) => event.type === 'identity-verify-status' && event.detail.status === 'verified')
      assert.ok(status, `events: ${events.map((event) => event.type).join(', ')}`)
      assert.deepEqual(
        events.slice(0, 3).map((event) => event.type),
        ['identity-verify-start', 'identity-verify-open', 'identity-verify-submitted'],
      )

      // The visitor is known by the credential kept in the shop's own storage, not by a cookie.
      assert.deepEqual(await visitor.context.cookies(server.url), [], 'no cookie of the server')
      const [session] = sessionsInStore().filter((row) => row.id === status.detail.sessionId)
      assert.equal(session?.status, 'verified')
      const shopStorage = await storageOf(page)
      assert.ok(shopStorage.includes(`${session!.user_ref}.`), 'the credential is in the shop’s storage')

      await page.reload()
      await element(page).and(page.locator('[state="verified"]')).waitFor({timeout: 10_000})

      // No client secret in any storage of either origin, nor in any event.
      const serverPage = await visitor.context.newPage()
      await serverPage.goto(`${server.url}/embed`)
      for (const storage of [shopStorage, await storageOf(page), await storageOf(serverPage)]) assert.doesNotMatch(storage, /_secret_/)
      assert.doesNotMatch(JSON.stringify(events), /_secret_/)
      assert.deepEqual(
        visitor.warnings.filter((text) => text.startsWith('identity-verify')),
        [],
      )
    } finally {
      await visitor.close()
    }
  })

  it('speaks the language the site owner chose, with texts from the server’s origin', async () => {
    publish('shop', await builtSnippet('fr'))
    const visitor = await visitorWithConsole()
    try {
      const {page} = visitor
      const languageFiles: string[] = []
      page.on('response', (response) => {
        if (/\/locales\/fr\.js$/.test(response.url())) languageFiles.push(`${response.status()} ${response.url()}`)
      })
      await page.goto(`${shop.url}/`)
      // The label between the tags is the site owner's; the element's own texts are French.
      await element(page).getByRole('button').click()
      await page.frameLocator('iframe').locator('button[data-outcome="close"]').click()
      await eventually('the French cancel message', async () => (await element(page).locator('[part="message"]').textContent())?.includes('Vérification annulée'))
      assert.equal(languageFiles.length, 1, languageFiles.join(', '))
      assert.match(languageFiles[0]!, new RegExp(`^200 ${server.url}/v/[0-9a-f]{12}/locales/fr\\.js$`))
    } finally {
      await visitor.close()
    }
  })

  it('on a site not in ALLOWED_ORIGINS: a config error saying the page is not set up, one console warning naming ALLOWED_ORIGINS, no session', async () => {
    publish('stranger', await builtSnippet())
    const before = sessionsInStore().length
    const visitor = await visitorWithConsole()
    try {
      const {page, events} = visitor
      await page.goto(`${stranger.url}/`)
      for (let click = 0; click < 2; click++) {
        await element(page).getByRole('button').click()
        await eventually('the error event', () => events.filter((event) => event.type === 'identity-verify-error').length === click + 1)
      }
      const errors = events.filter((event) => event.type === 'identity-verify-error')
      // Nothing the visitor can try again: the site is not set up to verify on this page.
      assert.deepEqual(errors[0]!.detail, {code: 'config', message: 'Verification is not set up on this page.'})
      assert.equal(await element(page).locator('[part="message"]').textContent(), 'Verification is not set up on this page.')
      await eventually('the console warning', () => visitor.warnings.some((text) => text.includes('ALLOWED_ORIGINS')))
      const warnings = visitor.warnings.filter((text) => text.startsWith('identity-verify'))
      assert.equal(warnings.length, 1, warnings.join('\n'))
      assert.ok(warnings[0]!.includes(stranger.url), warnings[0])
      assert.equal(sessionsInStore().length, before)
    } finally {
      await visitor.close()
    }
  })
})

describe('the element’s files and the credential, over HTTP', () => {
  it('let any page load the versioned script, cached for a year, and revalidate with 304', async () => {
    const snippet = await builtSnippet()
    const src = /<script type="module" src="([^"]+)"/.exec(snippet)?.[1]
    assert.match(src ?? '', new RegExp(`^${server.url}/v/[0-9a-f]{12}/identity-verify\\.js$`))
    for (const url of [src!, `${server.url}/identity-verify.js`]) {
      const response = await fetch(url, {headers: {origin: shop.url}})
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('access-control-allow-origin'), '*')
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin')
      assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/)
      assert.equal(response.headers.get('cache-control'), url === src ? 'public, max-age=31536000, immutable' : 'no-cache')
      const again = await fetch(url, {headers: {'if-none-match': response.headers.get('etag')!}})
      assert.equal(again.status, 304)
    }
  })

  it('show nothing (204) to a credential that was edited, signed by another server, or presented by another site, as to a new visitor', async () => {
    const created = await fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {origin: shop.url}})
    assert.equal(created.status, 200)
    const credential = created.headers.get('identity-verify-visitor')!
    const status = (origin: string, value: string) =>
      fetch(`${server.url}/verification-session`, {headers: {origin, 'identity-verify-visitor': value}}).then((response) => response.status)
    assert.equal(await status(shop.url, credential), 200)
    const [id, expires, origin, signature] = credential.split('.') as [string, string, string, string]
    assert.equal(await status(shop.url, [id, String(Number(expires) + 60), origin, signature].join('.')), 204, 'edited')
    assert.equal(await status(shop.url, [id, expires, origin, signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))].join('.')), 204, 'forged')
    assert.equal(await status(shop.url, `v_${'A'.repeat(22)}.${expires}.${origin}.${signature}`), 204, 'another visitor')
    assert.equal(await status(stranger.url, credential), 403, 'another site is refused before the credential is read')
  })
})
