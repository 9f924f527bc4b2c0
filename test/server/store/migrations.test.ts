import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {legacyVersion, pendingMigrations, type Migration} from '../../../server/store/migrations.js'
import {migrationsFolder, readMigrations, schemaModule, schemaPath, STORE_FOLDERS} from '../../../server/store/pack-migrations.js'

const migration = (version: number, name: string, breaking = false): Migration => ({version, name, breaking, sql: `-- ${name}`})
const known = [migration(1, 'first'), migration(2, 'second'), migration(3, 'third', true)]

describe('the migration files', () => {
  for (const store of STORE_FOLDERS) {
    it(`are what server/store/${store}/schema.ts holds (npm run migrations writes it)`, () => {
      const migrations = readMigrations(migrationsFolder(store))
      assert.ok(migrations.length > 0)
      assert.equal(readFileSync(schemaPath(store), 'utf8'), schemaModule(migrations, store), 'run npm run migrations')
    })
  }

  it('mark as breaking the SQLite migration that removed the webhook inbox, and only it', () => {
    const breaking = readMigrations(migrationsFolder('sqlite')).filter((m) => m.breaking)
    assert.deepEqual(
      breaking.map((m) => m.name),
      ['no-webhook-inbox'],
    )
  })
})

describe('pendingMigrations', () => {
  it('answers every migration for a new database, and those not applied yet for another', () => {
    assert.deepEqual(pendingMigrations(known, []), known)
    assert.deepEqual(
      pendingMigrations(known, [migration(1, 'first')]).map((m) => m.version),
      [2, 3],
    )
    assert.deepEqual(pendingMigrations(known, known), [])
  })

  it('goes on past a newer migration that is not breaking', () => {
    assert.deepEqual(pendingMigrations(known, [...known, migration(4, 'later')]), [])
  })

  it('refuses a newer breaking migration, and a migration of the same number under another name', () => {
    assert.throws(() => pendingMigrations(known, [...known, migration(4, 'later', true)]), /migration 4, later/)
    assert.throws(() => pendingMigrations(known, [migration(1, 'other')]), /migration 1 is "other" where this server's is "first"/)
  })
})

describe('legacyVersion', () => {
  it('names the newest breaking migration, and at least the ones the older servers numbered', () => {
    assert.equal(legacyVersion([migration(1, 'first')], 1), 1)
    assert.equal(legacyVersion([migration(1, 'first'), migration(2, 'second')], 1), 1)
    assert.equal(legacyVersion(known, 1), 3)
    assert.equal(legacyVersion([...known, migration(4, 'later')], 1), 3)
    assert.equal(legacyVersion([], 5), 0)
  })
})
