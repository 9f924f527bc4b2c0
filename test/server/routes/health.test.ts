// `GET /healthz` as a load balancer or a platform's health check meets it: 200 while the store
// answers, 503 (with Retry-After, never cached) when it does not, and back to 200 by itself.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {openSqliteStore} from '../../../server/store/sqlite/index.js'
import {HEALTH_TIMEOUT_MS} from '../../../server/routes/health.js'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import type {VerificationStore} from '../../../server/store/store.js'
import {deliver, errorOf, logLines, sessionEvent, testApp, testStore} from '../fixtures.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-health-'))
after(() => rmSync(folder, {recursive: true, force: true}))

const health = (app: ReturnType<typeof testApp>['app']) => app.request('/healthz')

async function assertUnavailable(res: Response) {
  assert.equal(res.headers.get('retry-after'), '5')
  assert.equal(res.headers.get('cache-control'), 'no-store')
  await errorOf(res, 503, 'store_unavailable')
}

describe('GET /healthz', () => {
  it('answers 200 {"ok": true}, not to be cached, while the store answers', async () => {
    const {app, deps} = testApp({store: testStore()})
    const res = await health(app)
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {ok: true})
    assert.equal(res.headers.get('cache-control'), 'no-store')
    await deps.store.close()
  })

  it('answers 503 once the store is closed, naming nothing of the error', async () => {
    const store = testStore()
    const {app} = testApp({store})
    await store.close()
    const res = await health(app)
    await assertUnavailable(res.clone())
    assert.doesNotMatch(await res.text(), /closed|sqlite|postgres/i)
  })

  it('takes HEAD and names the methods it takes for another', async () => {
    const {app, deps} = testApp({store: testStore()})
    assert.equal((await app.request('/healthz', {method: 'HEAD'})).status, 200)
    const res = await app.request('/healthz', {method: 'POST'})
    assert.equal(res.status, 405)
    assert.match(res.headers.get('allow') ?? '', /GET/)
    await deps.store.close()
  })

  it('answers 503 while writes fail, though reads still answer, and 200 again after a write succeeds', async () => {
    const store = testStore()
    let failWrites = true
    const failing: VerificationStore = {
      ...store,
      recordEvent: (event) => (failWrites ? Promise.reject(new Error('SQLITE_FULL: database or disk is full')) : store.recordEvent(event)),
    }
    const {app} = testApp({store: failing})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_health_full', status: 'verified'}, Math.floor(Date.now() / 1000))
    assert.equal((await deliver(app, event)).status, 500)
    await assertUnavailable(await health(app))
    // A health check is not a write: it neither ends the failure nor tells of it in the log.
    const lines = logLines.length
    await assertUnavailable(await health(app))
    assert.equal(logLines.length, lines)
    failWrites = false
    assert.equal((await deliver(app, event)).status, 200)
    assert.equal((await health(app)).status, 200)
    await store.close()
  })
})

describe('GET /healthz on the SQLite store on disk', () => {
  it('answers 503 within its time-out while a write waits for a lock another program holds, then 200', async () => {
    const path = join(folder, 'locked.sqlite')
    const store = openSqliteStore(path)
    const {app} = testApp({store})
    assert.equal((await health(app)).status, 200)
    const locker = new Database(path)
    locker.exec('BEGIN IMMEDIATE')
    const event = sessionEvent(EVENTS.verified, {id: 'vs_health_lock', status: 'verified'}, Math.floor(Date.now() / 1000))
    const delivery = Promise.resolve(deliver(app, event))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const started = performance.now()
    await assertUnavailable(await health(app))
    const waited = performance.now() - started
    assert.ok(waited >= HEALTH_TIMEOUT_MS - 50 && waited < HEALTH_TIMEOUT_MS + 1000, `answered after ${Math.round(waited)} ms`)
    locker.exec('ROLLBACK')
    locker.close()
    assert.equal((await delivery).status, 200)
    assert.equal((await health(app)).status, 200)
    await store.close()
  })
})
