import {MIGRATIONS_TABLE, planMigrations, SchemaError, type AppliedMigration} from '../migrations.js'
import type {SqliteDriver} from './driver.js'
import {MIGRATIONS} from './schema.js'

/** How many migrations the servers from before `schema_migrations` numbered in `user_version`. */
const LEGACY_COUNT = 5

/** The migration that removed the webhook inbox (`docs/decisions/0001-sqlite-durability.md`). */
const INBOX_REMOVED = 6

/**
 * The webhook inbox's files beside a database on disk, which only Node's store had: what migration 6
 * checks before it removes the inbox, given by the opening that knows the file.
 */
export interface InboxFiles {
  /** The inbox files that still hold events. */
  waiting(): string[]
  /** Removes the inbox's files once nothing waits in them. */
  remove(): void
}

/**
 * Brings the schema of the database (`name` in messages) up to date in one immediate transaction, so
 * that servers opening it together migrate one at a time and the others find nothing left to do.
 */
export function migrate(driver: SqliteDriver, name: string, inbox?: InboxFiles): void {
  driver.transaction(() => {
    driver.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, breaking INTEGER NOT NULL, applied_at INTEGER NOT NULL)`)
    const record = driver.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, breaking, applied_at) VALUES (?, ?, ?, ?)`)
    const applied = driver
      .prepare<{version: number; name: string; breaking: number}>(`SELECT version, name, breaking FROM ${MIGRATIONS_TABLE} ORDER BY version`)
      .all()
      .map((row): AppliedMigration => ({...row, breaking: row.breaking === 1}))
    const plan = planMigrations(MIGRATIONS, applied, driver.userVersion?.get() ?? 0, LEGACY_COUNT)
    const recordRun = (migration: AppliedMigration) => record.run(migration.version, migration.name, migration.breaking ? 1 : 0, Date.now())
    plan.adopt.forEach(recordRun)
    for (const migration of plan.apply) {
      if (migration.version === INBOX_REMOVED) checkNothingInInbox(driver, name, inbox)
      driver.exec(migration.sql)
      recordRun(migration)
    }
    driver.userVersion?.set(plan.legacyVersion)
  })
}

/**
 * Before the inbox's tables and files go: a server of the version that had one may have left webhook
 * events there that it answered but had not recorded yet. Those are never dropped: the start stops,
 * saying where they are and how to have them recorded.
 */
function checkNothingInInbox(driver: SqliteDriver, name: string, inbox: InboxFiles | undefined): void {
  const files = inbox?.waiting() ?? []
  const waiting = Number(driver.prepare('SELECT count(*) AS n FROM pending_events').get()!.n)
  if (files.length > 0 || waiting > 0) {
    const where = [...files, ...(waiting > 0 ? [`${waiting} event(s) in the table pending_events of ${name}`] : [])].join(', ')
    throw new SchemaError(
      `webhook events accepted by the previous version of identity-verify may wait in ${where}. Start that version once more ` +
        'and stop it with SIGTERM, which records them and removes its inbox files; events of sessions Stripe does not know ' +
        'stay in pending_events, and can be deleted from it once checked. Then start this version.',
    )
  }
  inbox?.remove()
}
