/**
 * What the SQLite store needs of a SQLite library, and nothing more, so that one store (its
 * statements, migrations and transactions, and `planEvent` deciding) runs on every runtime:
 * better-sqlite3 on Node, `bun:sqlite` on Bun, `node:sqlite` on Deno and the SQL storage of a
 * Durable Object on Cloudflare Workers.
 *
 * The lowest common ground decides its shape: parameters are positional (`?`; a Durable Object's
 * `sql.exec` has no named ones), a write says nothing of the rows it changed (a statement that must
 * know uses `RETURNING`), and a transaction is a function run synchronously (a Durable Object refuses
 * `BEGIN` and takes `transactionSync`).
 */

/** A value SQLite stores and answers, as the store uses them. */
export type SqlValue = string | number | null

/** A row as a statement answers it: its columns by name. */
export type SqlRow = Record<string, SqlValue>

/** A statement prepared once, run many times with its `?` parameters in order. */
export interface SqliteStatement<R extends SqlRow = SqlRow> {
  /** Runs the statement and answers every row it returns (none for a write without `RETURNING`). */
  all(...params: SqlValue[]): R[]
  /** Runs the statement and answers its first row, or undefined. */
  get(...params: SqlValue[]): R | undefined
  /** Runs the statement for its effect. */
  run(...params: SqlValue[]): void
}

/** One connection to one SQLite database, every call answered on the calling thread. */
export interface SqliteDriver {
  /** The library, for messages and the benchmarks: `better-sqlite3`, `bun:sqlite`, `node:sqlite`, `durable-object`. */
  readonly name: string
  /** Prepares `sql` (one statement) once; a driver may cache it. */
  prepare<R extends SqlRow = SqlRow>(sql: string): SqliteStatement<R>
  /** Runs statements without parameters or rows, separated by semicolons: the schema's migrations. */
  exec(sql: string): void
  /**
   * Runs `body` in one transaction that holds the write lock from its start (`BEGIN IMMEDIATE`, so
   * that two connections never both read and then both write), commits when it returns and rolls
   * back when it throws, throwing again. Called inside another transaction's body it is a savepoint:
   * its changes alone are undone when it throws.
   */
  transaction<T>(body: () => T): T
  /** `PRAGMA user_version`, which servers from before the migrations table numbered their schema in; null where the database has none (a Durable Object). */
  readonly userVersion: {get(): number; set(version: number): void} | null
  /** Closes the connection; a Durable Object's storage is the object's and stays open. */
  close(): void
}
