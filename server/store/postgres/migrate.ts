import type pg from 'pg'
import {adoptedMigrations, legacyVersion, MIGRATIONS_TABLE, pendingMigrations, SchemaError, type AppliedMigration} from '../migrations.js'
import {LOCK_MIGRATIONS, SCHEMA} from './queries.js'
import {MIGRATIONS} from './schema.js'

/** How many migrations the servers from before `schema_migrations` numbered in `schema_version`. */
const LEGACY_COUNT = 1

/** The legacy version number, from the table the servers before `schema_migrations` kept it in; 0 for a new database. */
async function readLegacyVersion(client: pg.PoolClient): Promise<number> {
  await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
  const [row] = (await client.query<{version: number}>('SELECT version FROM schema_version')).rows
  return row?.version ?? 0
}

/** Applies `migrations` and records each in `schema_migrations`. */
async function apply(client: pg.PoolClient, migrations: readonly AppliedMigration[], sqlOf: (version: number) => string | null): Promise<void> {
  for (const migration of migrations) {
    const sql = sqlOf(migration.version)
    if (sql !== null) await client.query(sql)
    await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, breaking, applied_at) VALUES ($1, $2, $3, $4)`, [
      migration.version,
      migration.name,
      migration.breaking,
      Date.now(),
    ])
  }
}

/**
 * Brings the store's schema up to date in one transaction. Every server starting at once runs this;
 * an advisory lock lets one migrate while the others wait, then find nothing left to do.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query(`SELECT pg_advisory_xact_lock(${LOCK_MIGRATIONS}, 0)`)
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, breaking BOOLEAN NOT NULL, applied_at BIGINT NOT NULL)`)
    let applied = (await client.query<AppliedMigration>(`SELECT version, name, breaking FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows
    const legacy = await readLegacyVersion(client)
    if (applied.length === 0 && legacy > LEGACY_COUNT) {
      throw new SchemaError(`The database schema (version ${legacy}) is newer than this server knows: upgrade this server`)
    }
    if (applied.length === 0 && legacy > 0) {
      // A database from before `schema_migrations`: its version number says which of the first migrations it has.
      applied = adoptedMigrations(MIGRATIONS, legacy, LEGACY_COUNT)
      await apply(client, applied, () => null)
    }
    const pending = pendingMigrations(MIGRATIONS, applied)
    await apply(client, pending, (version) => pending.find((migration) => migration.version === version)!.sql)
    // What the servers from before `schema_migrations` read: they run on a schema no breaking migration changed.
    await client.query('DELETE FROM schema_version')
    await client.query('INSERT INTO schema_version (version) VALUES ($1)', [legacyVersion([...applied, ...pending], LEGACY_COUNT)])
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
