import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {openSqliteStore} from '../../../server/store/sqlite/index.js'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {deliver, sessionEvent, testApp} from '../fixtures.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-webhook-commit-'))
after(() => rmSync(folder, {recursive: true, force: true}))

describe('POST /webhook on the SQLite store on disk', () => {
  it('answers 200 only once the event is committed, not while the commit waits', async () => {
    const path = join(folder, 'store.sqlite')
    const store = openSqliteStore(path)
    const {app} = testApp({store})
    const event = sessionEvent(EVENTS.verified, {id: 'vs_commit', status: 'verified'}, Math.floor(Date.now() / 1000))
    // Another connection holds the write lock: the store's commit waits for it.
    const locker = new Database(path)
    locker.exec('BEGIN IMMEDIATE')
    let answered = false
    const answer = Promise.resolve(deliver(app, event)).then((res) => ((answered = true), res))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    assert.equal(answered, false, 'the webhook was answered before its event was committed')
    locker.exec('ROLLBACK')
    locker.close()
    const res = await answer
    assert.equal(res.status, 200)
    // Committed at the moment of the answer: a new connection reads it.
    const reader = new Database(path, {readonly: true})
    assert.deepEqual(reader.prepare('SELECT id, status FROM sessions').all(), [{id: 'vs_commit', status: 'verified'}])
    assert.equal(reader.prepare('SELECT count(*) FROM events WHERE id = ?').pluck().get(event.id), 1)
    reader.close()
    await store.close()
  })
})
