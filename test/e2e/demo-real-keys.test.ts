import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {demoRoutes} from '../../demo/routes.js'
import {readDemoBuild} from '../../demo/read-build.js'
import {section} from '../docs/markdown.js'

// With real keys `npm start` gives the demo no emulator: the pages must then load Stripe.js the
// element's own way and allow exactly Stripe's origins.
const SCRIPT_PATH = '/v/3fa9c2e1b7d0/identity-verify.js'
const BUILD = readDemoBuild()
const app = demoRoutes({publicUrl: 'https://your-server.example', publishableKey: 'pk_live_51AbCdEfGh', scriptPath: SCRIPT_PATH, stripeJsUrl: null, dashboardUrl: null}, BUILD)

describe('the demo pages with real Stripe keys', () => {
  for (const path of ['/', '/confirmation', '/embed']) {
    it(`${path} loads nothing but the element and shows no emulator banner`, async () => {
      const response = await app.request(path)
      assert.equal(response.status, 200)
      const html = await response.text()
      assert.deepEqual(
        [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]).filter((src) => !src.startsWith('/demo/')),
        ['/identity-verify.js'],
      )
      assert.doesNotMatch(html, /emulator|stripe\.js/i)
      if (path !== '/embed') assert.match(html, /publishable-key="pk_live_51AbCdEfGh"/)
    })
  }

  it('allow Stripe.js, its frames and its API in the Content-Security-Policy, and nothing inline', async () => {
    const csp = (await app.request('/')).headers.get('content-security-policy') ?? ''
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
    assert.deepEqual(directives['script-src'], ["'self'", 'https://js.stripe.com', 'https://*.js.stripe.com'])
    assert.ok(directives['frame-src'].includes('https://js.stripe.com'))
    assert.ok(directives['frame-src'].includes('https://verify.stripe.com'))
    assert.deepEqual(directives['connect-src'], ["'self'", 'https://api.stripe.com'])
    assert.deepEqual(directives['style-src'], ["'self'"])
    assert.deepEqual(directives['frame-ancestors'], ["'none'"])
  })

  it('escape what they interpolate', async () => {
    const hostile = demoRoutes(
      {
        publicUrl: 'https://your-server.example',
        publishableKey: '"><script>alert(1)</script>',
        scriptPath: SCRIPT_PATH,
        stripeJsUrl: null,
        dashboardUrl: null,
      },
      BUILD,
    )
    const html = await (await hostile.request('/')).text()
    assert.doesNotMatch(html, /<script>alert/)
    assert.match(html, /publishable-key="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
  })

  it('build /embed’s snippet from the configured origin, whatever host the request names', async () => {
    const html = await (await app.request('http://evil.example/embed', {headers: {host: 'evil.example'}})).text()
    assert.doesNotMatch(html, /evil\.example/)
    assert.match(html, /https:\/\/your-server\.example\/create-verification-session/)
  })

  // The snippet a site owner is told to paste, where they read it: the README and the embedding guide.
  for (const [path, heading] of [
    ['README.md', '## Put it on your page'],
    ['docs/embedding.md', '## On a site builder, in five steps'],
  ] as const) {
    it(`build, on /embed, exactly the snippet that ${path} tells a site owner to paste`, async () => {
      const block = /\n( *)```html\n([^]*?)\n *```/.exec(section(path, heading))
      assert.ok(block, `${path}: no HTML snippet under "${heading}"`)
      const documented = block[2]!
        .split('\n')
        .map((line) => line.slice(block[1]!.length))
        .join('\n')
      const documentedApp = demoRoutes(
        {publicUrl: 'https://your-server.example', publishableKey: 'pk_live_...', scriptPath: SCRIPT_PATH, stripeJsUrl: null, dashboardUrl: null},
        BUILD,
      )
      const page = await (await documentedApp.request('/embed')).text()
      const code = /<code id="snippet-embed">([^]*?)<\/code>/.exec(page)?.[1] ?? ''
      const built = code.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')
      assert.equal(built, documented)
    })
  }
})
