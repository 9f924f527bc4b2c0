import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {queryPostgres, startPostgres, type TestPostgres} from '../../../harness/postgres.js'
import {openPostgresStore} from '../../../server/store/postgres/index.js'
import type {VerificationStore} from '../../../server/store/store.js'
import {storeContract, verifiedEvent} from './contract.js'

let server: TestPostgres
before(async () => {
  server = await startPostgres()
})
after(() => server.destroy())

let databases = 0
const named = new Map<string, string>()
/** The URL of a new database, or of the one named `name` (created the first time). */
async function databaseUrl(name?: string): Promise<string> {
  if (name && named.has(name)) return named.get(name)!
  const url = await server.createDatabase(name ? `store_${name}` : `store_${++databases}`)
  if (name) named.set(name, url)
  return url
}

storeContract('PostgreSQL', async (name) => openPostgresStore(await databaseUrl(name), {poolSize: 4}))

describe('openPostgresStore', () => {
  it('migrates once when several servers start at the same moment', async () => {
    const url = await databaseUrl()
    const stores = await Promise.all(Array.from({length: 6}, () => openPostgresStore(url, {poolSize: 2})))
    await stores[0]!.insertSession({id: 'vs_m', userRef: 'u', status: 'requires_input', createdAt: 1})
    assert.equal((await stores[5]!.getSession('vs_m'))?.userRef, 'u')
    assert.deepEqual(await queryPostgres(url, 'SELECT version, name, breaking FROM identity_verify.schema_migrations'), [
      {version: 1, name: 'sessions-events-limits', breaking: false},
    ])
    // What the servers from before that table read: the schema they know.
    assert.deepEqual(await queryPostgres(url, 'SELECT version FROM identity_verify.schema_version'), [{version: 1}])
    for (const store of stores) await store.close()
  })

  it('keeps its tables in a schema of its own, with no column for secrets, URLs or verified outputs', async () => {
    const url = await databaseUrl()
    const store = await openPostgresStore(url)
    await store.close()
    const columns = await queryPostgres<{table_schema: string; table_name: string; column_name: string}>(
      url,
      `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    )
    assert.deepEqual(new Set(columns.map((column) => column.table_schema)), new Set(['identity_verify']))
    assert.ok(columns.some((column) => column.column_name === 'status'))
    // The tables of sessions and events (the migrations' own table names its migrations).
    const data = columns.filter((column) => !['schema_migrations', 'schema_version'].includes(column.table_name))
    for (const {column_name} of data) assert.doesNotMatch(column_name, /secret|url|output|name|dob|address|document/i)
  })

  it('refuses a database from before the migrations table whose version is newer than it knows', async () => {
    const url = await databaseUrl()
    await queryPostgres(url, 'CREATE SCHEMA identity_verify')
    await queryPostgres(url, 'CREATE TABLE identity_verify.schema_version (version INTEGER NOT NULL)')
    await queryPostgres(url, 'INSERT INTO identity_verify.schema_version VALUES (99)')
    await assert.rejects(openPostgresStore(url), /newer than this server knows/)
  })

  it('adopts a database from before the migrations table, keeping its rows', async () => {
    const url = await databaseUrl()
    const store = await openPostgresStore(url)
    await store.insertSession({id: 'vs_legacy', userRef: 'u', status: 'requires_input', createdAt: 1})
    await store.close()
    // As the servers before it left the database: no migrations table.
    await queryPostgres(url, 'DROP TABLE identity_verify.schema_migrations')
    const reopened = await openPostgresStore(url)
    assert.equal((await reopened.getSession('vs_legacy'))?.userRef, 'u')
    await reopened.close()
    assert.deepEqual(await queryPostgres(url, 'SELECT version FROM identity_verify.schema_migrations'), [{version: 1}])
  })

  it('runs on a schema a newer server changed without breaking it, and refuses one it broke (a rolling deploy)', async () => {
    const url = await databaseUrl()
    await (await openPostgresStore(url)).close()
    const record = `INSERT INTO identity_verify.schema_migrations VALUES ($1, $2, $3, 0)`
    await queryPostgres(url, 'CREATE TABLE identity_verify.later_feature (id TEXT)')
    await queryPostgres(url, record, [2, 'later-feature', false])
    const store = await openPostgresStore(url)
    assert.equal((await store.recordEvent(verifiedEvent('evt_rolling', Date.now(), 'vs_rolling'))).kind, 'recorded')
    await store.close()
    await queryPostgres(url, record, [3, 'sessions-renamed', true])
    await assert.rejects(openPostgresStore(url), /changed by a newer version of identity-verify \(migration 3, sessions-renamed\)/)
  })

  it('fails within its timeouts while the database is down, and works again once it is back, without reopening', async () => {
    const url = await databaseUrl()
    const store: VerificationStore = await openPostgresStore(url, {statementTimeoutMs: 1000, connectTimeoutMs: 1000})
    await store.recordEvent(verifiedEvent('evt_before', Date.now(), 'vs_down'))
    server.stop('immediate')
    try {
      const started = Date.now()
      await assert.rejects(async () => store.recordEvent(verifiedEvent('evt_down', Date.now(), 'vs_down')))
      await assert.rejects(async () => store.getSession('vs_down'))
      assert.ok(Date.now() - started < 5000, `failed after ${Date.now() - started} ms`)
    } finally {
      server.start()
    }
    assert.equal((await store.recordEvent(verifiedEvent('evt_down', Date.now(), 'vs_down'))).kind, 'recorded')
    assert.equal((await store.recordEvent(verifiedEvent('evt_before', Date.now(), 'vs_down'))).kind, 'duplicate')
    await store.close()
  })
})
