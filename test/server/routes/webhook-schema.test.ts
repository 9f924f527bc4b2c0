import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {createLogger} from '../../../server/log/logger.js'
import {openSqliteStore} from '../../../server/store/sqlite/index.js'
import {VERIFICATION_EVENT_TYPES as EVENTS} from '../../../protocol/verification-status.js'
import {deliver, errorOf, sessionEvent, testApp} from '../fixtures.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-schema-'))
const path = join(folder, 'store.sqlite')
const store = openSqliteStore(path)
const lines: string[] = []
const {app} = testApp({store, logger: createLogger((line) => lines.push(line))})
after(async () => {
  await store.close()
  rmSync(folder, {recursive: true, force: true})
})

const now = Math.floor(Date.now() / 1000)
/** A well-formed event, as plain JSON to take apart. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a payload taken apart at any path, as a sender could
type Payload = Record<string, any>
const good = (): Payload => JSON.parse(JSON.stringify(sessionEvent(EVENTS.verified, {id: 'vs_schema', status: 'verified'}, now)))

/** The rows in the store, counted by another connection once a read through the store has recorded every event answered. */
async function rows(): Promise<{events: number; sessions: number}> {
  await store.getSession('vs_schema')
  const db = new Database(path, {readonly: true})
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {n: number}).n
    return {events: count('events'), sessions: count('sessions')}
  } finally {
    db.close()
  }
}

/** Every string field the server reads, by where it is in the event. */
const STRING_FIELDS: ReadonlyArray<readonly string[]> = [
  ['id'],
  ['type'],
  ['data', 'object', 'id'],
  ['data', 'object', 'object'],
  ['data', 'object', 'status'],
  ['data', 'object', 'last_error', 'code'],
  ['data', 'object', 'client_reference_id'],
  ['data', 'object', 'metadata', 'user_id'],
]

function edited(at: readonly string[], value: unknown): Payload {
  const event = good()
  if (at[0] === 'data' && at.at(-2) === 'last_error') event.data.object.last_error = {code: 'document_expired', reason: 'x'}
  let parent = event
  for (const key of at.slice(0, -1)) parent = parent[key]
  if (value === undefined) delete parent[at.at(-1)!]
  else parent[at.at(-1)!] = value
  return event
}

const MALFORMED: Array<[string, unknown]> = [
  ['null', null],
  ['[]', []],
  ['a string', 'evt_1'],
  ['a number', 42],
  ['{}', {}],
  ['no id', edited(['id'], undefined)],
  ['an empty id', edited(['id'], '')],
  ['no created', edited(['created'], undefined)],
  ['a created that is a string', edited(['created'], String(now))],
  ['a created with a fraction', edited(['created'], now + 0.5)],
  ['no data', edited(['data'], undefined)],
  ['no data.object', edited(['data', 'object'], undefined)],
  ['data.object null', edited(['data', 'object'], null)],
  ['no session id', edited(['data', 'object', 'id'], undefined)],
  ['no session status', edited(['data', 'object', 'status'], undefined)],
  ['an unknown session status', edited(['data', 'object', 'status'], 'approved')],
  ['no session created', edited(['data', 'object', 'created'], undefined)],
  ['a session created that is not a number', edited(['data', 'object', 'created'], 'yesterday')],
  ['another kind of object', edited(['data', 'object', 'object'], 'identity.verification_report')],
  ['metadata that is a list', edited(['data', 'object', 'metadata'], ['user_1'])],
  ['last_error that is a string', edited(['data', 'object', 'last_error'], 'document_expired')],
  ...STRING_FIELDS.flatMap((at): Array<[string, unknown]> => [
    [`an object in ${at.join('.')}`, edited(at, {value: 'x'})],
    [`an array in ${at.join('.')}`, edited(at, ['x'])],
  ]),
]

describe('POST /webhook with a validly signed but malformed event', () => {
  for (const [name, payload] of MALFORMED) {
    it(`answers 400 malformed_event for ${name}, logs it once and writes nothing`, async () => {
      const before = lines.length
      const error = await errorOf(await deliver(app, JSON.stringify(payload)), 400, 'malformed_event')
      assert.match(error.message, /well-formed/)
      const logged = lines.slice(before).map((line) => JSON.parse(line) as {msg: string; level: string})
      assert.deepEqual(
        logged.map((line) => [line.level, line.msg]),
        [['warn', 'webhook event refused']],
      )
      assert.deepEqual(await rows(), {events: 0, sessions: 0})
    })
  }

  it('answers 200 for an unknown event type whatever its data, writing nothing', async () => {
    const res = await deliver(app, JSON.stringify({id: 'evt_other', type: 'customer.created', data: {object: []}}))
    assert.equal(res.status, 200)
    assert.deepEqual(await rows(), {events: 0, sessions: 0})
  })

  it('records the same event when it is well formed (the rows above are counted where they would be)', async () => {
    const res = await deliver(app, JSON.stringify(good()))
    assert.equal(res.status, 200)
    assert.deepEqual(await rows(), {events: 1, sessions: 1})
  })
})
