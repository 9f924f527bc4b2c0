/** The SQLite driver on Bun: `bun:sqlite`, built into the runtime, answering on the calling thread. */
import {Database} from 'bun:sqlite'
import type {SqliteDriver, SqliteStatement, SqlRow, SqlValue} from '../driver.js'
import {configured, filePragmas, OPEN_BUSY_TIMEOUT_MS, prepareDatabaseFile} from './database-file.js'

/** The driver over a `bun:sqlite` database. */
export function bunSqliteDriver(db: Database): SqliteDriver {
  const inTransaction = db.transaction((body: () => unknown) => body())
  let open = true
  return {
    name: 'bun:sqlite',
    prepare<R extends SqlRow>(sql: string): SqliteStatement<R> {
      const prepared = db.prepare<R, SqlValue[]>(sql)
      return {
        all: (...params) => prepared.all(...params),
        // Bun answers null for no row.
        get: (...params) => prepared.get(...params) ?? undefined,
        run: (...params) => void prepared.run(...params),
      }
    },
    exec(sql) {
      db.exec(sql)
    },
    // As better-sqlite3's: BEGIN IMMEDIATE, or a savepoint inside another transaction.
    transaction: <T>(body: () => T) => inTransaction.immediate(body) as T,
    userVersion: {
      get: () => Number(db.prepare<{user_version: number}, []>('PRAGMA user_version').get()!.user_version),
      set: (version) => void db.exec(`PRAGMA user_version = ${Math.floor(version)}`),
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
export function openBunSqlite(path: string, busyTimeoutMs = OPEN_BUSY_TIMEOUT_MS): SqliteDriver {
  prepareDatabaseFile(path)
  return bunSqliteDriver(configured(new Database(path, {create: true}), (db) => db.exec(filePragmas(busyTimeoutMs))))
}
