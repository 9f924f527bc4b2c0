/** The SQLite driver on Node: better-sqlite3, a native add-on answering on the calling thread. */
import Database from 'better-sqlite3'
import type {SqliteDriver, SqliteStatement, SqlRow} from '../driver.js'
import {configured, filePragmas, OPEN_BUSY_TIMEOUT_MS, prepareDatabaseFile} from './database-file.js'

/** A better-sqlite3 statement as the driver's: one that returns no data answers no rows, where better-sqlite3 would throw. */
function statement<R extends SqlRow>(prepared: Database.Statement<unknown[], R>): SqliteStatement<R> {
  if (!prepared.reader) {
    return {
      all: (...params) => (prepared.run(...params), []),
      get: (...params) => void prepared.run(...params),
      run: (...params) => void prepared.run(...params),
    }
  }
  return {all: prepared.all.bind(prepared), get: prepared.get.bind(prepared), run: (...params) => void prepared.run(...params)}
}

/** The driver over a better-sqlite3 database. */
export function betterSqlite3Driver(db: Database.Database): SqliteDriver {
  // Created once: better-sqlite3 builds a transaction function's statements when it is made. Called
  // inside another transaction, it runs as a savepoint.
  const inTransaction = db.transaction((body: () => unknown) => body())
  return {
    name: 'better-sqlite3',
    prepare: <R extends SqlRow>(sql: string) => statement(db.prepare<unknown[], R>(sql)),
    exec(sql) {
      db.exec(sql)
    },
    transaction: <T>(body: () => T) => inTransaction.immediate(body) as T,
    userVersion: {
      get: () => db.pragma('user_version', {simple: true}) as number,
      set: (version) => void db.pragma(`user_version = ${Math.floor(version)}`),
    },
    close() {
      if (db.open) db.close()
    },
  }
}

/**
 * Opens (creating it and its folder if needed) the database at `path`, or an in-memory one for
 * `':memory:'`, with the store's settings (`filePragmas`), waiting at least 5 s for a lock while the
 * store opens: the caller sets its own wait after the migrations.
 */
export function openBetterSqlite3(path: string, busyTimeoutMs: number): SqliteDriver {
  prepareDatabaseFile(path)
  const db = configured(new Database(path), (db) => db.exec(filePragmas(Math.max(busyTimeoutMs, OPEN_BUSY_TIMEOUT_MS))))
  return betterSqlite3Driver(db)
}
