import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import type {RunningEmulator} from '../../../emulator/index.js'
import {addressGroup} from '../../../server/rules/address-group.js'
import {resolveDeps} from '../../../server/routes/deps.js'
import {storeRateLimiter} from '../../../server/routes/rate-limit.js'
import {addressFromHeader, clientSecretOf, clientSecrets, create, errorOf, secretsInLogs, startTestEmulator, stripeClient, testApp, testStore, WEBHOOK_SECRET} from '../fixtures.js'

describe('addressGroup', () => {
  it('counts an IPv4 address by itself', () => {
    assert.equal(addressGroup('192.0.2.1'), '192.0.2.1')
    assert.notEqual(addressGroup('192.0.2.1'), addressGroup('192.0.2.2'))
  })

  it('unwraps an IPv4-mapped IPv6 address, in either notation', () => {
    assert.equal(addressGroup('::ffff:192.0.2.1'), '192.0.2.1')
    assert.equal(addressGroup('::FFFF:192.0.2.1'), '192.0.2.1')
    assert.equal(addressGroup('::ffff:c000:201'), '192.0.2.1')
    assert.equal(addressGroup('0:0:0:0:0:ffff:192.0.2.1'), '192.0.2.1')
  })

  it('groups IPv6 addresses by their /64, whatever the notation', () => {
    const group = '2001:db8:0:1::/64'
    for (const address of [
      '2001:db8:0:1::1',
      '2001:0db8:0000:0001:ffff:ffff:ffff:ffff',
      '2001:DB8::1:0:0:0:9',
      '2001:db8:0:1:1::',
      '[2001:db8:0:1::abcd]',
      '2001:db8:0:1::1%eth0',
      '2001:db8:0:1::192.0.2.1',
    ]) {
      assert.equal(addressGroup(address), group, address)
    }
    assert.equal(addressGroup('2001:db8:0:2::1'), '2001:db8:0:2::/64')
    assert.equal(addressGroup('2001:db8::1'), '2001:db8:0:0::/64', 'the compressed groups belong to the prefix')
    assert.equal(addressGroup('::1'), '0:0:0:0::/64')
    assert.equal(addressGroup('fe80::1%en0'), 'fe80:0:0:0::/64')
  })

  it('leaves a string that is no address as it is', () => {
    for (const text of ['unknown', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '256.1.1.1', '2001:db8:0:1:2:3:4:5::', '12345::1']) {
      assert.equal(addressGroup(text), text.toLowerCase(), text)
    }
  })
})

describe('storeRateLimiter', () => {
  it('gives a count back once, in the window it was taken in', async () => {
    let at = 0
    const limiter = storeRateLimiter(testStore(), 'test', {max: 1, windowMs: 1000}, () => at)
    const first = await limiter.take('k')
    assert.equal((await limiter.take('k')).allowed, false)
    assert.ok(first.allowed)
    await first.release()
    await first.release()
    const second = await limiter.take('k')
    assert.equal(second.allowed, true)
    assert.equal((await limiter.take('k')).allowed, false, 'a second release gave nothing more back')
    at = 1000
    const third = await limiter.take('k')
    assert.ok(second.allowed && third.allowed)
    await second.release()
    assert.equal((await limiter.take('k')).allowed, false, 'a release from an earlier window changes nothing')
  })
})

describe('the daily limit’s name', () => {
  const base = {stripe: stripeClient(), webhookSecret: WEBHOOK_SECRET, store: testApp().deps.store, publicUrl: 'http://localhost', authenticate: () => null}

  it('is dailySubmissions, 1000 by default, with dailyCreates read as its former name', () => {
    assert.equal(resolveDeps(base).limits.dailySubmissions, 1000)
    assert.equal(resolveDeps({...base, limits: {dailyCreates: 7}}).limits.dailySubmissions, 7)
    assert.equal(resolveDeps({...base, limits: {dailyCreates: 7, dailySubmissions: 3}}).limits.dailySubmissions, 3)
  })
})

describe('the per-IP limit over HTTP', () => {
  let emulator: RunningEmulator
  before(async () => {
    emulator = await startTestEmulator()
  })
  after(() => emulator.close())

  let users = 0
  /** A create by a user never seen before, from `address`. */
  const createFrom = (app: ReturnType<typeof testApp>['app'], address: string) => create(app, {user: `user_${++users}`, headers: {'x-test-address': address}})

  it('lets 40 busy addresses make 30 sessions each and still serves a 41st address', async () => {
    const {app} = testApp({stripe: stripeClient(emulator.url), clientAddress: addressFromHeader})
    for (let a = 1; a <= 40; a++) {
      const answers = await Promise.all(Array.from({length: 30}, () => createFrom(app, `198.51.100.${a}`)))
      await Promise.all(answers.map(clientSecretOf))
    }
    await errorOf(await createFrom(app, '198.51.100.1'), 429, 'rate_limited')
    await clientSecretOf(await createFrom(app, '198.51.100.41'))
  })

  it('counts only the creates Stripe carried out: after 30 failures the address still gets a session', async () => {
    const {app} = testApp({stripe: stripeClient(emulator.url), clientAddress: addressFromHeader})
    emulator.injectFault({method: 'POST', path: '/v1/identity/verification_sessions', status: 500, count: 30})
    for (let i = 0; i < 30; i++) await errorOf(await createFrom(app, '203.0.113.7'), 502, 'stripe_unavailable')
    await clientSecretOf(await createFrom(app, '203.0.113.7'))
  })

  it('cannot be passed by concurrent requests', async () => {
    const {app} = testApp({stripe: stripeClient(emulator.url), clientAddress: addressFromHeader, limits: {perIp: {max: 3, windowMs: 60_000}}})
    const answers = await Promise.all(Array.from({length: 10}, () => createFrom(app, '203.0.113.99')))
    assert.deepEqual(answers.map((res) => res.status).sort(), [200, 200, 200, 429, 429, 429, 429, 429, 429, 429])
  })

  it('counts two addresses of one IPv6 /64 together, and an IPv4-mapped address as its IPv4 address', async () => {
    const {app} = testApp({stripe: stripeClient(emulator.url), clientAddress: addressFromHeader, limits: {perIp: {max: 2, windowMs: 60_000}}})
    await clientSecretOf(await createFrom(app, '2001:db8:aa:1::1'))
    await clientSecretOf(await createFrom(app, '2001:db8:aa:1:ffff:ffff:ffff:fffe'))
    const res = await createFrom(app, '2001:db8:aa:1::2')
    await errorOf(res, 429, 'rate_limited')
    assert.ok(Number(res.headers.get('retry-after')) >= 1)
    await clientSecretOf(await createFrom(app, '2001:db8:aa:2::1'))

    await clientSecretOf(await createFrom(app, '192.0.2.44'))
    await clientSecretOf(await createFrom(app, '::ffff:192.0.2.44'))
    await errorOf(await createFrom(app, '192.0.2.44'), 429, 'rate_limited')
  })
})

it('logged no client secret, secret key or webhook secret', () => {
  assert.ok(clientSecrets.length > 1000)
  assert.deepEqual(secretsInLogs(clientSecrets), [])
})
