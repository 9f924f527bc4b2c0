// What a site gets from `npm install identity-verify`: the built package, through its `exports`.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import Stripe from 'stripe'

const root = new URL('../../', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  exports: Record<string, string | {types: string; import: string}>
}

describe('the published package', () => {
  it('has every file its exports name', () => {
    for (const [name, target] of Object.entries(manifest.exports)) {
      for (const file of typeof target === 'string' ? [target] : [target.types, target.import]) {
        assert.ok(existsSync(new URL(file, root)), `${name} names ${file}, which the build did not write`)
      }
    }
  })

  it('serves a mounted createApp from identity-verify/server', async () => {
    // Named at run time, so type-checking (which runs before the build) never looks for lib/.
    const specifier = 'identity-verify/server'
    const {createApp, openSqliteStore, silentLogger} = (await import(specifier)) as typeof import('../../server/index.js')
    const store = openSqliteStore(':memory:')
    const app = createApp({
      stripe: new Stripe('sk_test_package', {host: '127.0.0.1', port: 9, protocol: 'http', maxNetworkRetries: 0}),
      webhookSecret: 'whsec_package_test',
      store,
      authenticate: () => null,
      logger: silentLogger,
    })
    const answer = await app.request('/create-verification-session', {
      method: 'POST',
      headers: {'content-type': 'application/json', origin: 'http://localhost'},
      body: '{}',
    })
    assert.equal(answer.status, 401)
    assert.deepEqual(Object.keys((await answer.json()) as object), ['error'])
    store.close()
  })
})
