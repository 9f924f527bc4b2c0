/**
 * The SQLite driver of `node:sqlite` (`DatabaseSync`), which Deno serves (and Node from 22.5): no
 * native add-on to build, every call answered on the calling thread.
 */
import {DatabaseSync} from 'node:sqlite'
import type {SqliteDriver, SqliteStatement, SqlRow} from '../driver.js'
import {configured, filePragmas, OPEN_BUSY_TIMEOUT_MS, prepareDatabaseFile} from './database-file.js'

/**
 * Runs `body` in a transaction by hand, `node:sqlite` having no helper: `BEGIN IMMEDIATE`, or a
 * savepoint when one is already open, committed when it returns and rolled back when it throws.
 */
function transactions(db: DatabaseSync): <T>(body: () => T) => T {
  let depth = 0
  return (body) => {
    const savepoint = `store_${depth}`
    db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`)
    depth++
    try {
      const result = body()
      db.exec(depth === 1 ? 'COMMIT' : `RELEASE ${savepoint}`)
      return result
    } catch (error) {
      if (depth > 1) db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`)
      else rollBack(db)
      throw error
    } finally {
      depth--
    }
  }
}

/** Rolls back the open transaction; SQLite may have rolled it back itself already (a COMMIT that failed on a full disk). */
function rollBack(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK')
  } catch {
    // No transaction was left to roll back.
  }
}

/** The driver over a `node:sqlite` database. */
export function nodeSqliteDriver(db: DatabaseSync): SqliteDriver {
  let open = true
  return {
    name: 'node:sqlite',
    prepare<R extends SqlRow>(sql: string): SqliteStatement<R> {
      const prepared = db.prepare(sql)
      return {
        all: (...params) => prepared.all(...params) as R[],
        get: (...params) => prepared.get(...params) as R | undefined,
        run: (...params) => void prepared.run(...params),
      }
    },
    exec(sql) {
      db.exec(sql)
    },
    transaction: transactions(db),
    userVersion: {
      get: () => Number((db.prepare('PRAGMA user_version').get() as {user_version: number}).user_version),
      set: (version) => db.exec(`PRAGMA user_version = ${Math.floor(version)}`),
    },
    close() {
      if (!open) return
      open = false
      db.close()
    },
  }
}

/**
 * Opens (creating it and its folder if needed) the database at `path`, or an in-memory one for
 * `':memory:'`, with the store's settings (`filePragmas`).
 */
export function openNodeSqlite(path: string, busyTimeoutMs = OPEN_BUSY_TIMEOUT_MS): SqliteDriver {
  prepareDatabaseFile(path)
  return nodeSqliteDriver(configured(new DatabaseSync(path), (db) => db.exec(filePragmas(busyTimeoutMs))))
}
