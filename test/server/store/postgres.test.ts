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
    assert.deepEqual(await queryPostgres(url, 'SELECT version FROM identity_verify.schema_version'), [{version: 1}])
    for (const store of stores) await store.close()
  })

  it('keeps its tables in a schema of its own, with no column for secrets, URLs or verified outputs', async () => {
    const url = await databaseUrl()
    const store = await openPostgresStore(url)
    await store.close()
    const columns = await queryPostgres<{table_schema: string; column_name: string}>(
      url,
      `SELECT table_schema, column_name FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    )
    assert.deepEqual(new Set(columns.map((column) => column.table_schema)), new Set(['identity_verify']))
    assert.ok(columns.some((column) => column.column_name === 'status'))
    for (const {column_name} of columns) assert.doesNotMatch(column_name, /secret|url|output|name|dob|address|document/i)
  })

  it('refuses a database written by a newer version', async () => {
    const url = await databaseUrl()
    await (await openPostgresStore(url)).close()
    await queryPostgres(url, 'UPDATE identity_verify.schema_version SET version = 99')
    await assert.rejects(openPostgresStore(url), /newer than this server/)
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
