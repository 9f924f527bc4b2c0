import assert from 'node:assert/strict'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {describe, it} from 'node:test'
import type {Page} from 'playwright-core'
import {demoSuite, eventually} from './demo-suite.js'

const suite = demoSuite()

/** The snippet as the page shows it now. */
async function shownSnippet(page: Page): Promise<string> {
  return (await page.locator('#snippet-embed').textContent()) ?? ''
}

/** The element's script the snippet names. */
function scriptSrcOf(snippet: string): string {
  const match = /<script type="module" src="([^"]+)"><\/script>/.exec(snippet)
  assert.ok(match, `no module script in:\n${snippet}`)
  return match[1]!
}

/** The snippet with this server's URLs, the given attributes after the three fixed ones, and a label. */
function expectedSnippet(scriptSrc: string, extra: string[], label: string | null): string {
  const attributes = [
    '  publishable-key="pk_test_emulator"',
    `  endpoint="${suite.server.url}/create-verification-session"`,
    `  status-endpoint="${suite.server.url}/verification-session"`,
    ...extra,
  ]
  return [
    '<!-- Emulator mode only: remove this line when you use real Stripe keys -->',
    `<script src="${suite.server.emulatorUrl}/stripe.js"></script>`,
    `<script type="module" src="${scriptSrc}"></script>`,
    '<identity-verify',
    ...attributes.slice(0, -1),
    label === null ? `${attributes.at(-1)}></identity-verify>` : `${attributes.at(-1)}>\n  ${label}\n</identity-verify>`,
  ].join('\n')
}

function unescapeHtml(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')
}

describe('the snippet builder on /embed', () => {
  it('serves the default snippet in the page itself, every URL absolute and on this server', async () => {
    const html = await (await fetch(`${suite.server.url}/embed`)).text()
    const code = /<code id="snippet-embed">([\s\S]*?)<\/code>/.exec(html)
    assert.ok(code, 'no snippet in the page')
    const snippet = unescapeHtml(code[1]!)
    const scriptSrc = scriptSrcOf(snippet)
    assert.ok(scriptSrc.startsWith(`${suite.server.url}/`) && scriptSrc.endsWith('/identity-verify.js'), scriptSrc)
    assert.equal(snippet, expectedSnippet(scriptSrc, [], 'Verify my identity'))
    assert.doesNotMatch(snippet, /credentials/)

    // The script it names is one any site may load.
    const script = await fetch(scriptSrc, {headers: {Origin: 'https://shop.example'}})
    assert.equal(script.status, 200)
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/)
    assert.equal(script.headers.get('access-control-allow-origin'), '*')
  })

  it('redraws the snippet from the button text, language, colour and page to return to', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const scriptSrc = scriptSrcOf(await shownSnippet(page))
      await page.getByLabel('Button text').fill('Get verified & start selling')
      await page.getByLabel('Language').selectOption('fr')
      await page.getByLabel('Button colour').fill('#0f766e')
      await page.getByLabel('Page to return to after submitting').fill('https://shop.example/thanks?from=verify')
      assert.equal(
        await shownSnippet(page),
        expectedSnippet(scriptSrc, ['  return-url="https://shop.example/thanks?from=verify"', '  lang="fr"', '  accent="#0f766e"'], 'Get verified &amp; start selling'),
      )
      await eventually('the update to be announced', async () => (await page.locator('#snippet-status').textContent()) === 'Snippet updated.')

      // Back to the defaults: the page's language, the element's colour, staying on the page, its own wording.
      await page.getByLabel('Language').selectOption('')
      await page.getByLabel('Button colour').fill('#635bff')
      await page.getByLabel('Page to return to after submitting').fill('')
      await page.getByLabel('Button text').fill('')
      assert.equal(await shownSnippet(page), expectedSnippet(scriptSrc, [], null))
    })
  })

  it('refuses a page to return to that is not a full web address, and leaves the snippet as it was', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const returnUrl = page.getByLabel('Page to return to after submitting')
      const error = page.locator('#builder-return-url-error')
      const before = await shownSnippet(page)

      // No error while the address is being typed, only once the field is left.
      await returnUrl.fill('shop.example/thanks')
      assert.equal(await error.textContent(), '')
      await returnUrl.press('Tab')
      assert.match((await error.textContent()) ?? '', /full address that starts with https:\/\//)
      assert.ok(await error.isVisible())
      assert.equal(await returnUrl.getAttribute('aria-invalid'), 'true')
      assert.equal(await shownSnippet(page), before)

      await returnUrl.fill('javascript:alert(1)')
      await returnUrl.press('Tab')
      assert.match((await error.textContent()) ?? '', /starts with https:\/\//)
      assert.equal(await shownSnippet(page), before)

      // Other choices wait too, so the snippet never disagrees with the form.
      await page.getByLabel('Language').selectOption('de')
      assert.equal(await shownSnippet(page), before)

      await returnUrl.fill('http://shop.example/thanks')
      assert.equal(await error.textContent(), '')
      assert.equal(await returnUrl.getAttribute('aria-invalid'), null)
      assert.match(await shownSnippet(page), /\n {2}return-url="http:\/\/shop\.example\/thanks"\n {2}lang="de">\n/)
    })
  })

  it('gives a colour that shows under the documented Content-Security-Policy, which gives the element no style source', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/embed`)
      await page.getByLabel('Button colour').fill('#0f766e')
      const snippet = await shownSnippet(page)
      assert.match(snippet, /\n {2}accent="#0f766e"/)
      // The site owner's page, on a site of its own, with the README's policy in emulator mode: the
      // emulator's origin in place of Stripe's, the server's for the element, and no style source at all.
      const emulator = suite.server.emulatorUrl
      const policy = [
        `default-src 'self'`,
        `script-src 'self' ${suite.server.url} ${emulator}`,
        `frame-src ${emulator}`,
        `connect-src 'self' ${suite.server.url}`,
        `style-src 'none'`,
        `object-src 'none'`,
        `base-uri 'none'`,
      ].join('; ')
      const pages: Record<string, string> = {
        '/accent': snippet,
        // What the builder wrote before: a style attribute.
        '/inline': snippet.replace('accent="#0f766e"', 'style="--identity-verify-accent: #0f766e"'),
      }
      const site = createServer((request, response) =>
        response
          .writeHead(200, {'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy})
          .end(`<!doctype html><title>Shop</title>${pages[request.url!] ?? ''}`),
      )
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
      const shop = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
      const colourOf = async (path: string) => {
        await page.goto(shop + path)
        const button = page.locator('identity-verify').getByRole('button')
        await button.waitFor()
        return button.evaluate((node) => getComputedStyle(node).backgroundColor)
      }
      try {
        assert.equal(await colourOf('/accent'), 'rgb(15, 118, 110)')
        assert.deepEqual(visitor.cspViolations, [])
        // The style attribute is refused there: the button keeps the element's own colour.
        assert.equal(await colourOf('/inline'), 'rgb(99, 91, 255)')
        await eventually('the refused style attribute to be reported', () => visitor.cspViolations.some((violation) => violation.startsWith('style-src-attr')))
        visitor.cspViolations.length = 0
      } finally {
        site.closeAllConnections()
        site.close()
      }
    })
  })

  it('copies exactly the snippet shown after a change', async () => {
    await suite.visit(async ({context, page}) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: suite.server.url})
      await page.goto(`${suite.server.url}/embed`)
      await page.getByLabel('Button text').fill('Verify to get paid')
      await page.getByLabel('Language').selectOption('ja')
      await page.locator('button[data-copy="snippet-embed"]').click()
      await page.getByRole('button', {name: 'Copied'}).waitFor()
      const copied = await page.evaluate(() => navigator.clipboard.readText())
      assert.equal(copied, await shownSnippet(page))
      assert.match(copied, /lang="ja">\n {2}Verify to get paid\n<\/identity-verify>$/)
    })
  })

  it('can be filled with the keyboard alone, in order', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-copy'))
      await page.getByLabel('Button text').focus()
      await page.keyboard.press('ControlOrMeta+A')
      await page.keyboard.type('Check my ID')
      const order: unknown[] = []
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab')
        order.push(await focused())
      }
      assert.deepEqual(order, ['builder-lang', 'builder-accent', 'builder-return-url', 'snippet-embed'])
      await page.keyboard.press('Shift+Tab')
      await page.keyboard.type('https://shop.example/done')
      await page.keyboard.press('Tab')
      assert.match(await shownSnippet(page), /return-url="https:\/\/shop\.example\/done">\n {2}Check my ID\n/)
    })
  })

  it('offers the languages whose texts are served next to the script it names', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const scriptSrc = scriptSrcOf(await shownSnippet(page))
      const languages = await page
        .getByLabel('Language')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))
      assert.deepEqual(languages, ['', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ja'])
      for (const lang of languages.filter((lang) => lang && lang !== 'en')) {
        const response = await fetch(new URL(`locales/${lang}.js`, scriptSrc))
        assert.equal(response.status, 200, lang)
      }
    })
  })

  it('gives a snippet that works as pasted: the element’s own wording in the chosen language, and a verification that starts', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/embed`)
      await page.getByLabel('Button text').fill('')
      await page.getByLabel('Language').selectOption('fr')
      const snippet = await shownSnippet(page)
      // Pasted as a builder would: its scripts stay inert, this page already has the element and Stripe.js.
      await page.evaluate((html) => document.querySelector('main')!.insertAdjacentHTML('beforeend', `<div id="pasted">${html}</div>`), snippet)
      const button = page.locator('#pasted identity-verify').getByRole('button', {name: 'Vérifier votre identité'})
      await button.click()
      await page.frameLocator('iframe').locator('button[data-outcome="verified"]').waitFor()
      assert.ok(visitor.events.some((event) => event.type === 'identity-verify-open' && event.path === '/embed'))
    })
  })
})
