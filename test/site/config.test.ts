import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ConfigError, readConfig} from '../../site/config.js'

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

describe('DATABASE_URL, DATABASE_POOL_SIZE and EMULATOR_URL', () => {
  it('keep SQLite and an emulator of its own when unset', () => {
    const config = read({})
    assert.equal(config.databaseUrl, null)
    assert.equal(config.databasePoolSize, 10)
    assert.equal(config.emulatorUrl, null)
  })

  it('read a PostgreSQL URL, a pool size and a running emulator’s origin', () => {
    const config = read({
      DATABASE_URL: 'postgres://iv:pw@db.internal:5432/iv?sslmode=require',
      DATABASE_POOL_SIZE: '4',
      EMULATOR_URL: 'http://localhost:12111/',
      STRIPE_WEBHOOK_SECRET: 'whsec_' + 's'.repeat(32),
    })
    assert.equal(config.databaseUrl, 'postgres://iv:pw@db.internal:5432/iv?sslmode=require')
    assert.equal(config.databasePoolSize, 4)
    assert.equal(config.emulatorUrl, 'http://localhost:12111')
  })

  it('stop the start at a URL that is not PostgreSQL’s, a pool size that is no count, or a shared emulator without its secret', () => {
    const fails = (env: Record<string, string>, variable: string) =>
      assert.throws(() => read(env), (err: unknown) => err instanceof ConfigError && err.message.includes(variable))
    fails({DATABASE_URL: 'mysql://db/iv'}, 'DATABASE_URL')
    fails({DATABASE_POOL_SIZE: '0'}, 'DATABASE_POOL_SIZE')
    fails({DATABASE_POOL_SIZE: 'many'}, 'DATABASE_POOL_SIZE')
    fails({EMULATOR_URL: 'localhost:12111'}, 'EMULATOR_URL')
    fails({EMULATOR_URL: 'http://localhost:12111'}, 'STRIPE_WEBHOOK_SECRET')
  })
})
