import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {demoRoutes} from '../../demo/routes.js'

// With real keys `npm start` gives the demo no emulator: the pages must then load Stripe.js the
// element's own way and allow exactly Stripe's origins.
const app = demoRoutes({publishableKey: 'pk_live_51AbCdEfGh', stripeJsUrl: null, dashboardUrl: null})

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
    const hostile = demoRoutes({publishableKey: '"><script>alert(1)</script>', stripeJsUrl: null, dashboardUrl: null})
    const html = await (await hostile.request('/')).text()
    assert.doesNotMatch(html, /<script>alert/)
    assert.match(html, /publishable-key="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
  })
})
