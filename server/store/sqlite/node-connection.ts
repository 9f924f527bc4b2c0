/**
 * A connection to the store's file on Node, over better-sqlite3: the store thread's connection
 * (`thread.ts`) and the server's reads (`index.ts`) are each one of these.
 */
import {existsSync, rmSync, statSync} from 'node:fs'
import {openDriverConnection, type DriverConnectionOptions, type SqliteConnection} from './connection.js'
import {openBetterSqlite3} from './drivers/better-sqlite3.js'
import type {InboxFiles} from './migrate.js'

/** Options of a connection on Node. */
export interface SqliteConnectionOptions extends Pick<DriverConnectionOptions, 'eventRetentionMs' | 'now'> {
  /**
   * How long a statement waits for another connection's lock, in ms (default 5000); 0 fails at
   * once with `SQLITE_BUSY`. Opening waits at least 5 s whatever this says.
   */
  busyTimeoutMs?: number
}

/** The webhook inbox's files that a server of the version that had one kept beside the database at `path`. */
function inboxFiles(path: string): InboxFiles {
  const journals = [`${path}-inbox-0`, `${path}-inbox-1`]
  const lock = `${path}-inbox-lock`
  return {
    waiting: () => journals.filter((file) => existsSync(file) && statSync(file).size > 0),
    remove() {
      for (const file of [...journals, lock, `${lock}-journal`, `${lock}-wal`, `${lock}-shm`]) rmSync(file, {force: true})
    },
  }
}

/**
 * Opens a connection to the store at `path` (creating the file and its folder if needed), or an
 * in-memory one for `':memory:'`, in WAL mode with `synchronous=FULL` (a commit survives a power
 * cut), brings its schema up to date and checks that it can be written. Events arriving in one turn
 * of the event loop share a commit.
 */
export function openSqliteConnection(path: string, options: SqliteConnectionOptions = {}): SqliteConnection {
  const {busyTimeoutMs = 5000, ...connectionOptions} = options
  const driver = openBetterSqlite3(path, busyTimeoutMs)
  try {
    const connection = openDriverConnection(driver, {
      ...connectionOptions,
      eventCommits: {schedule: setImmediate},
      // The one commit skips the sync (synchronous=NORMAL); the next FULL commit syncs it too.
      withoutSync(write) {
        driver.exec('PRAGMA synchronous = NORMAL')
        try {
          return write()
        } finally {
          driver.exec('PRAGMA synchronous = FULL')
        }
      },
      name: path,
      inbox: path === ':memory:' ? undefined : inboxFiles(path),
    })
    driver.exec(`PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`)
    return connection
  } catch (error) {
    driver.close()
    throw error
  }
}
