/**
 * A database in a file, as every runtime's SQLite driver opens it: its folder created, the files SQLite
 * keeps checked, then the same settings on each (Bun and Deno have Node's `fs`).
 */
import {mkdirSync, statSync} from 'node:fs'
import {dirname} from 'node:path'

/** How long opening waits for another connection's lock (migrations, the write check), in ms. */
export const OPEN_BUSY_TIMEOUT_MS = 5000
/** Each connection's page cache, in KiB. */
const PAGE_CACHE_KB = 2048

/** The files SQLite keeps for the database at `path`: each must be a file if it is there (a folder or a FIFO would fail late, or hang). */
function checkFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let stats
    try {
      stats = statSync(file)
    } catch {
      continue
    }
    if (!stats.isFile()) throw new Error(`${file} is not a file: SQLite keeps the database there`)
  }
}

/** Creates the folder of the database at `path` and checks its files, unless it is `':memory:'`. */
export function prepareDatabaseFile(path: string): void {
  if (path === ':memory:') return
  mkdirSync(dirname(path), {recursive: true})
  checkFiles(path)
}

/**
 * The settings of a connection to the store's file: WAL (readers never wait for the writer),
 * `synchronous=FULL` (a commit survives a power cut), waiting `busyTimeoutMs` for a lock, and a small
 * page cache (SQLite's build may default to 16 MB: the rows are small and the hot pages few, and the
 * kernel's page cache holds the rest of the file).
 */
export function filePragmas(busyTimeoutMs: number): string {
  return ['PRAGMA journal_mode = WAL', `PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}`, `PRAGMA cache_size = -${PAGE_CACHE_KB}`, 'PRAGMA synchronous = FULL'].join('; ')
}

/** Runs `configure` on a database just opened, closing it when that throws. */
export function configured<D extends {close(): void}>(db: D, configure: (db: D) => void): D {
  try {
    configure(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
