import type pg from 'pg'
import {MIGRATIONS_TABLE, planMigrations, type AppliedMigration} from '../migrations.js'
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

/** Records `migration` as applied. */
async function record(client: pg.PoolClient, {version, name, breaking}: AppliedMigration): Promise<void> {
  await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, breaking, applied_at) VALUES ($1, $2, $3, $4)`, [version, name, breaking, Date.now()])
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
    const applied = (await client.query<AppliedMigration>(`SELECT version, name, breaking FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows
    const plan = planMigrations(MIGRATIONS, applied, await readLegacyVersion(client), LEGACY_COUNT)
    for (const migration of plan.adopt) await record(client, migration)
    for (const migration of plan.apply) {
      await client.query(migration.sql)
      await record(client, migration)
    }
    // What the servers from before `schema_migrations` read: they run on a schema no breaking migration changed.
    await client.query('DELETE FROM schema_version')
    await client.query('INSERT INTO schema_version (version) VALUES ($1)', [plan.legacyVersion])
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
