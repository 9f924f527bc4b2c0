import {existsSync, rmSync, statSync} from 'node:fs'
import type Database from 'better-sqlite3'
import {MIGRATIONS_TABLE, planMigrations, SchemaError, type AppliedMigration} from '../migrations.js'
import {MIGRATIONS} from './schema.js'

/** How many migrations the servers from before `schema_migrations` numbered in `user_version`. */
const LEGACY_COUNT = 5

/** The migration that removed the webhook inbox (`docs/decisions/0001-sqlite-durability.md`). */
const INBOX_REMOVED = 6

/**
 * Brings the schema of `db` (the database at `path`) up to date in one immediate transaction, so
 * that servers opening it together migrate one at a time and the others find nothing left to do.
 */
export function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, breaking INTEGER NOT NULL, applied_at INTEGER NOT NULL)`)
    const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, breaking, applied_at) VALUES (?, ?, ?, ?)`)
    const applied = db
      .prepare<[], {version: number; name: string; breaking: number}>(`SELECT version, name, breaking FROM ${MIGRATIONS_TABLE} ORDER BY version`)
      .all()
      .map((row): AppliedMigration => ({...row, breaking: row.breaking === 1}))
    const plan = planMigrations(MIGRATIONS, applied, db.pragma('user_version', {simple: true}) as number, LEGACY_COUNT)
    const recordRun = (migration: AppliedMigration) => record.run(migration.version, migration.name, migration.breaking ? 1 : 0, Date.now())
    plan.adopt.forEach(recordRun)
    for (const migration of plan.apply) {
      if (migration.version === INBOX_REMOVED) checkNothingInInbox(db, path)
      db.exec(migration.sql)
      recordRun(migration)
    }
    db.pragma(`user_version = ${plan.legacyVersion}`)
  }).immediate()
}

/**
 * Before the inbox's tables and files go: a server of the version that had one may have left webhook
 * events there that it answered but had not recorded yet. Those are never dropped: the start stops,
 * saying where they are and how to have them recorded.
 */
function checkNothingInInbox(db: Database.Database, path: string): void {
  const files = [`${path}-inbox-0`, `${path}-inbox-1`].filter((file) => existsSync(file) && statSync(file).size > 0)
  const waiting = (db.prepare('SELECT count(*) AS n FROM pending_events').get() as {n: number}).n
  if (files.length > 0 || waiting > 0) {
    const where = [...files, ...(waiting > 0 ? [`${waiting} event(s) in the table pending_events of ${path}`] : [])].join(', ')
    throw new SchemaError(
      `webhook events accepted by the previous version of identity-verify may wait in ${where}. Start that version once more ` +
        'and stop it with SIGTERM, which records them and removes its inbox files; events of sessions Stripe does not know ' +
        'stay in pending_events, and can be deleted from it once checked. Then start this version.',
    )
  }
  const lock = `${path}-inbox-lock`
  for (const file of [`${path}-inbox-0`, `${path}-inbox-1`, lock, `${lock}-journal`, `${lock}-wal`, `${lock}-shm`]) rmSync(file, {force: true})
}
