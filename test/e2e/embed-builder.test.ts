import assert from 'node:assert/strict'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {describe, it} from 'node:test'
import type {Page} from 'playwright-core'
import {contrastRatio} from '../../demo/assets/embed-snippet.js'
import {accessibilityViolations, demoSuite, eventually} from './demo-suite.js'

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

/**
 * The preview button's colours as Chromium paints them (`#rrggbb`, read back from a canvas whatever CSS
 * syntax its computed styles give): its label, its fill, its focus ring's two bands (the border inside,
 * the outline outside) and the first background behind it.
 */
function previewColours(page: Page) {
  return page.locator('#builder-preview').evaluate((host) => {
    const button = host.shadowRoot!.querySelector('button')!
    const style = getComputedStyle(button)
    let behind: Element | null = host
    while (behind && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') behind = behind.parentElement
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 1
    const context = canvas.getContext('2d', {willReadFrequently: true})!
    const [label, fill, inner, outer, page] = [
      style.color,
      style.backgroundColor,
      style.borderTopColor,
      style.outlineColor,
      behind ? getComputedStyle(behind).backgroundColor : '#fff',
    ].map((colour) => {
      context.fillStyle = '#fff'
      context.fillRect(0, 0, 1, 1)
      context.fillStyle = colour
      context.fillRect(0, 0, 1, 1)
      return '#' + [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)].map((channel) => channel.toString(16).padStart(2, '0')).join('')
    })
    return {label: label!, fill: fill!, inner: inner!, outer: outer!, page: page!, outlineStyle: style.outlineStyle}
  })
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
      assert.deepEqual(await page.locator('button[data-copy]').allInnerTexts(), ['Copy the snippet', 'Copy the listener', 'Copy the CSS'])
      await page.getByRole('button', {name: 'Copy the snippet'}).click()
      await page.getByRole('button', {name: 'Copied'}).waitFor()
      assert.equal(await page.locator('#copy-status').textContent(), 'The snippet is copied to the clipboard.')
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
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Tab')
        order.push(await focused())
      }
      // The preview's button comes between the form and the snippet it shows.
      assert.deepEqual(order, ['builder-lang', 'builder-accent', 'builder-return-url', 'builder-preview', 'snippet-embed'])
      await page.keyboard.press('Shift+Tab')
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

  it('checks the owner’s site against this server before they paste, and says what to set, politely announced', async () => {
    // Without the script the check's form stays hidden, and the page names the setting instead.
    const html = await (await fetch(`${suite.server.url}/embed`)).text()
    assert.match(html, /<form id="setup-check" class="setup-check" hidden/)
    assert.match(html, /id="setup-static"><strong>Before it works on your site:<\/strong>[^]*ALLOWED_ORIGINS/)
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const result = page.locator('#setup-result')
      assert.equal(await result.getAttribute('role'), 'status')
      assert.equal(await result.getAttribute('aria-live'), 'polite')
      assert.equal(await page.locator('#setup-static').isVisible(), false)
      const site = page.getByLabel('Your site’s address')
      const said = async (pattern: RegExp) => eventually(`the check to say ${pattern}`, async () => pattern.test(await result.innerText()) && result.innerText())

      // Typed as a site owner would: no scheme, a page's path.
      await site.fill('shop.example/about')
      await page.getByRole('button', {name: 'Check my site'}).click()
      const refusal = await said(/does not accept/)
      assert.match(refusal, /This server does not accept pages of https:\/\/shop\.example yet/)
      assert.match(refusal, /npm start[^]*ALLOWED_ORIGINS=https:\/\/shop\.example[^]*restart/)
      assert.match(refusal, /Cloudflare Workers: in Cloudflare’s dashboard, under the Worker’s Settings → Variables and Secrets, add it to ALLOWED_ORIGINS/)
      assert.match(refusal, /createApp[^]*allowedOrigins: \['https:\/\/shop\.example'\]/)

      // This server's own address (PUBLIC_URL) is accepted; Enter checks too.
      await site.fill(`${suite.server.url}/embed`)
      await site.press('Enter')
      const accepted = await said(/accepts/)
      assert.match(accepted, new RegExp(`This server accepts pages of ${suite.server.url.replaceAll('.', '\\.')}: the snippet will work there\\.`))
      assert.match(accepted, /only in a browser on this computer/)

      await site.fill('ftp://shop.example')
      await site.press('Enter')
      await said(/"ftp:\/\/shop\.example" is not an http or https address/)
    })
  })

  it('says in words, above the builder, that an emulator-mode snippet works only on this computer, and where going live is told', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const notice = page.locator('#emulator-notice')
      assert.ok(await notice.isVisible())
      const text = await notice.innerText()
      assert.match(text, /^Emulator mode: this snippet works only on this computer\./)
      assert.match(text, new RegExp(`calls this server at ${new URL(suite.server.url).origin.replaceAll('.', '\\.')}`))
      assert.match(text, /STRIPE_SECRET_KEY[^]*PUBLIC_URL[^]*docs\/deploy\.md#going-live/)
      // Before the builder's fields, so it is read before the snippet is made.
      assert.ok(await notice.evaluate((node) => Boolean(node.compareDocumentPosition(document.getElementById('builder-label')!) & Node.DOCUMENT_POSITION_FOLLOWING)))
    })
  })

  it('takes a light accent (#ffe14d): the preview button’s label reads at 4.5:1 and its focus ring at 3:1, measured from computed styles', async () => {
    await suite.visit(async ({page}) => {
      await page.goto(`${suite.server.url}/embed`)
      const colour = page.getByLabel('Button colour')
      const contrast = page.locator('#builder-accent-contrast')
      assert.equal(await contrast.getAttribute('aria-live'), 'polite')
      assert.equal(await contrast.textContent(), 'Readable: the element labels #635bff in white, at a contrast of 4.69:1 (at least 4.5:1 is needed).')
      await colour.fill('#ffe14d')
      assert.equal(await contrast.textContent(), 'Readable: the element labels #ffe14d in black, at a contrast of 16.12:1 (at least 4.5:1 is needed).')
      assert.equal(await colour.getAttribute('aria-invalid'), null)
      assert.match(await shownSnippet(page), /\n {2}accent="#ffe14d"/)

      // A keyboard user tabs from the last field to the preview's button.
      await page.getByLabel('Page to return to after submitting').focus()
      await page.keyboard.press('Tab')
      const seen = await eventually('the preview in the new colour, with its focus ring', async () => {
        const colours = await previewColours(page)
        return colours.fill === '#ffe14d' && colours.outlineStyle === 'solid' && colours
      })
      assert.equal(seen.label, '#000000')
      assert.ok(contrastRatio(seen.label, seen.fill) >= 4.5, `label ${seen.label} on ${seen.fill}`)
      // The inner band touches the button, the outer one the page: one of the two reads on each.
      assert.ok(contrastRatio(seen.inner, seen.fill) >= 3, `inner band ${seen.inner} on ${seen.fill}`)
      assert.ok(Math.max(contrastRatio(seen.inner, seen.page), contrastRatio(seen.outer, seen.page)) >= 3, `ring ${seen.inner}/${seen.outer} on ${seen.page}`)

      // Just lighter than the line where black and white read alike (a white label read at only 4.47:1 there).
      await colour.fill('#777777')
      assert.equal(await contrast.textContent(), 'Readable: the element labels #777777 in black, at a contrast of 4.68:1 (at least 4.5:1 is needed).')
      assert.match(await shownSnippet(page), /accent="#777777"/)
    })
  })

  it('shows the real button beside the snippet, following the label, language and colour, and it starts a verification', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/embed`)
      const preview = page.locator('#builder-preview')
      await preview.getByRole('button', {name: 'Verify my identity'}).waitFor()
      await page.getByLabel('Button text').fill('Get verified')
      await page.getByLabel('Button colour').fill('#0f766e')
      const button = preview.getByRole('button', {name: 'Get verified'})
      await button.waitFor()
      assert.equal(await button.evaluate((node) => getComputedStyle(node).backgroundColor), 'rgb(15, 118, 110)')
      // Its own wording in the chosen language, as the snippet gives it.
      await page.getByLabel('Button text').fill('')
      await page.getByLabel('Language').selectOption('fr')
      await preview.getByRole('button', {name: 'Vérifier votre identité'}).click()
      await page.frameLocator('iframe').locator('button[data-outcome="verified"]').click()
      await eventually('the preview to be submitted', () => visitor.events.some((event) => event.type === 'identity-verify-submitted' && event.path === '/embed'))
    })
  })

  it('starts a verification from the preview clicked straight after typing its label, the field still focused', async () => {
    await suite.visit(async (visitor) => {
      const {page} = visitor
      await page.goto(`${suite.server.url}/embed`)
      await page.locator('#builder-preview').getByRole('button', {name: 'Verify my identity'}).waitFor()
      // Pressing on the preview takes the focus from the field, whose change redraws the preview: the
      // label under the pointer must stay the same node, or the click is lost.
      await page.getByLabel('Button text').fill('Get verified')
      await page.locator('#builder-preview').getByRole('button', {name: 'Get verified'}).click()
      await page.frameLocator('iframe').locator('button[data-outcome="verified"]').waitFor()
      assert.deepEqual(
        visitor.events.filter((event) => event.path === '/embed').map((event) => event.type),
        ['identity-verify-start', 'identity-verify-open'],
      )
    })
  })

  it('has no serious or critical accessibility violations at 1280 and 390 px, with its messages shown, and no sideways scroll', async () => {
    await suite.visit(async ({page}) => {
      for (const width of [1280, 390]) {
        await page.setViewportSize({width, height: 900})
        await page.goto(`${suite.server.url}/embed`)
        await page.getByLabel('Button colour').fill('#ffe14d')
        await page.getByLabel('Your site’s address').fill('https://shop.example')
        await page.getByRole('button', {name: 'Check my site'}).click()
        await page.locator('#setup-result[data-state="refused"]').waitFor()
        assert.deepEqual(await accessibilityViolations(page, {seriousOnly: true}), [], `at ${width} px`)
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `sideways scroll at ${width} px`)
      }
    })
  })
})
