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
      assert.throws(
        () => read(env),
        (err: unknown) => err instanceof ConfigError && err.message.includes(variable),
      )
    fails({DATABASE_URL: 'mysql://db/iv'}, 'DATABASE_URL')
    fails({DATABASE_POOL_SIZE: '0'}, 'DATABASE_POOL_SIZE')
    fails({DATABASE_POOL_SIZE: 'many'}, 'DATABASE_POOL_SIZE')
    fails({EMULATOR_URL: 'localhost:12111'}, 'EMULATOR_URL')
    fails({EMULATOR_URL: 'http://localhost:12111'}, 'STRIPE_WEBHOOK_SECRET')
  })
})

describe('PUBLIC_URL', () => {
  const realKeys = {
    STRIPE_SECRET_KEY: 'sk_test_' + 'a1B2c3D4e5F6g7H8i9J0',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_' + 'z9Y8x7W6v5U4t3S2r1Q0',
    STRIPE_WEBHOOK_SECRET: 'whsec_' + 's'.repeat(32),
  }

  it('defaults in emulator mode to http://localhost and PORT', () => {
    assert.deepEqual([read({}).publicUrl, read({}).publicUrlSource], ['http://localhost:4242', 'default'])
    assert.equal(read({PORT: '8080'}).publicUrl, 'http://localhost:8080')
  })

  it('is the origin given, without its trailing slash, in either mode', () => {
    assert.deepEqual(
      [read({PUBLIC_URL: 'https://Verify.Example/'}).publicUrl, read({PUBLIC_URL: 'https://verify.example'}).publicUrlSource],
      ['https://verify.example', 'environment'],
    )
    assert.equal(read({...realKeys, PUBLIC_URL: 'https://verify.example:8443'}).publicUrl, 'https://verify.example:8443')
  })

  it('is required with a real key, the message naming it and showing one', () => {
    assert.throws(
      () => read(realKeys),
      (err: unknown) =>
        err instanceof ConfigError && /^PUBLIC_URL is required with STRIPE_SECRET_KEY/.test(err.message) && err.message.includes('PUBLIC_URL=https://verify.example.com'),
    )
  })

  for (const given of ['verify.example', 'ftp://verify.example', 'https://verify.example/app', 'https://verify.example/?', 'https://verify.example/#top', 'https://']) {
    it(`stops the start at "${given}", naming it`, () => {
      assert.throws(
        () => read({PUBLIC_URL: given}),
        (err: unknown) => err instanceof ConfigError && err.message.startsWith(`PUBLIC_URL "${given}" `),
      )
    })
  }

  it('stops the start at a URL with a user name or password, without repeating it', () => {
    assert.throws(
      () => read({PUBLIC_URL: 'https://admin:hunter2@verify.example'}),
      (err: unknown) => err instanceof ConfigError && err.message.startsWith('PUBLIC_URL has a user name or password') && !err.message.includes('hunter2'),
    )
  })
})
