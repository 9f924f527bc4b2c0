import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ConfigError, readConfig} from '../../standalone/config.js'

const read = (env: Record<string, string>) => readConfig(env, () => 'whsec_' + 'g'.repeat(32))

describe('ALLOWED_ORIGINS', () => {
  it('is empty when unset', () => {
    assert.deepEqual(read({}).allowedOrigins, [])
  })

  it('reads origins separated by commas, with spaces and a trailing slash tolerated', () => {
    assert.deepEqual(read({ALLOWED_ORIGINS: 'https://shop.example, http://localhost:8080/ ,https://Blog.Example'}).allowedOrigins, [
      'https://shop.example',
      'http://localhost:8080',
      'https://blog.example',
    ])
  })

  for (const entry of ['shop.example', 'https://shop.example/page', 'ftp://shop.example', 'https://shop.example?x=1', '*', 'https://']) {
    it(`stops the start at the malformed entry "${entry}", naming it`, () => {
      assert.throws(
        () => read({ALLOWED_ORIGINS: `https://ok.example,${entry}`}),
        (err: unknown) => err instanceof ConfigError && err.message.includes(`"${entry}"`) && /ALLOWED_ORIGINS/.test(err.message),
      )
    })
  }
})
