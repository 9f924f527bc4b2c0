/**
 * The schema's history, the same way for every database: numbered migrations (`migrations/NNNN-name.sql`
 * beside each store, packed into its `schema.ts` by `npm run migrations`), each recorded in the table
 * `schema_migrations` once applied. A migration whose first line is `-- breaking: <why>` is one an
 * older server cannot run on; any other leaves the schema usable by the servers before it, so that
 * during a rolling deploy the instances of the previous version keep running on the newer schema.
 */

/** One step of a schema's history. */
export interface Migration {
  /** Its number: migrations apply in this order, and each number once. */
  version: number
  /** The file's name without its number and extension, e.g. `submitted-at`. */
  name: string
  /** Whether a server that does not know this migration can no longer run on the schema. */
  breaking: boolean
  sql: string
}

/** A migration as `schema_migrations` records it. */
export type AppliedMigration = Pick<Migration, 'version' | 'name' | 'breaking'>

/** The table both stores record their migrations in (the columns' types are each database's own). */
export const MIGRATIONS_TABLE = 'schema_migrations'

/** A schema this server cannot run on; opening the store stops with this message. */
export class SchemaError extends Error {
  override name = 'SchemaError'
}

/**
 * The migrations of `known` still to apply, in order. Throws a `SchemaError` when the database holds
 * a breaking migration this server does not know (a newer server changed it in a way this one cannot
 * run on), or a migration of the same number but another name (a schema of another history). A newer
 * migration that is not breaking is no obstacle.
 */
export function pendingMigrations(known: readonly Migration[], applied: readonly AppliedMigration[]): Migration[] {
  const byVersion = new Map(known.map((migration) => [migration.version, migration]))
  for (const migration of applied) {
    const ours = byVersion.get(migration.version)
    if (!ours && migration.breaking) {
      throw new SchemaError(
        `The database was changed by a newer version of identity-verify (migration ${migration.version}, ${migration.name}) ` +
          'in a way this version cannot run on: upgrade this server',
      )
    }
    if (ours && ours.name !== migration.name) {
      throw new SchemaError(
        `The database's migration ${migration.version} is "${migration.name}" where this server's is "${ours.name}": ` +
          'it holds the schema of another program, or of a build of identity-verify that is not a release',
      )
    }
  }
  const done = new Set(applied.map((migration) => migration.version))
  return known.filter((migration) => !done.has(migration.version))
}

/**
 * The schema version number the servers from before `schema_migrations` read (SQLite's
 * `user_version`, PostgreSQL's `schema_version`) and refuse to run on when it exceeds the number of
 * migrations they know. It names the newest breaking migration applied, and at least the migrations
 * those servers numbered themselves (`legacyCount`), so that they run on a schema no breaking
 * migration changed and refuse any other.
 */
export function legacyVersion(applied: readonly AppliedMigration[], legacyCount: number): number {
  let version = 0
  for (const migration of applied) {
    if (migration.breaking || migration.version <= legacyCount) version = Math.max(version, migration.version)
  }
  return version
}

/**
 * What a database from before `schema_migrations` had applied: the first `legacy` migrations (its
 * version number), which were the same as this server's first ones.
 */
export function adoptedMigrations(known: readonly Migration[], legacy: number, legacyCount: number): Migration[] {
  return known.filter((migration) => migration.version <= Math.min(legacy, legacyCount))
}

/** What migrating a database does: record the migrations it had from before `schema_migrations`, apply the others, and write the legacy version number. */
export interface MigrationPlan {
  /** Applied before `schema_migrations` existed: recorded, not run again. */
  adopt: Migration[]
  /** To run and record, in order. */
  apply: Migration[]
  /** What the legacy version number becomes (see `legacyVersion`). */
  legacyVersion: number
}

/**
 * The plan for a database whose `schema_migrations` holds `applied` and whose legacy version number is
 * `legacy` (0 for a new database); a `SchemaError` when this server cannot run on it.
 */
export function planMigrations(known: readonly Migration[], applied: readonly AppliedMigration[], legacy: number, legacyCount: number): MigrationPlan {
  if (applied.length === 0 && legacy > legacyCount) {
    throw new SchemaError(`The database schema (version ${legacy}) is newer than this server knows: upgrade this server`)
  }
  // A database from before `schema_migrations`: its version number says which of the first migrations it has.
  const adopt = applied.length === 0 ? adoptedMigrations(known, legacy, legacyCount) : []
  const recorded = [...applied, ...adopt]
  const apply = pendingMigrations(known, recorded)
  return {adopt, apply, legacyVersion: legacyVersion([...recorded, ...apply], legacyCount)}
}
