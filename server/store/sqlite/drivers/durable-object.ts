/**
 * The SQLite store's driver over a Durable Object's own SQLite database (`ctx.storage.sql`), so that
 * the same statements, migrations and `planEvent` run inside an object on Cloudflare Workers.
 *
 * An object refuses `BEGIN`, `SAVEPOINT` and most PRAGMAs; its transactions are
 * `ctx.storage.transactionSync`, which workerd nests as savepoints (an inner one that throws undoes
 * its own changes alone). The object's writes are made durable before its answer leaves it (the
 * output gate), whatever the transaction: nothing here syncs.
 */
import type {SqlRow, SqlValue, SqliteDriver, SqliteStatement} from '../driver.js'

/** The part of a Durable Object's SQL API this driver uses (`@cloudflare/workers-types` is not installed). */
export interface DurableObjectSql {
  exec<R extends Record<string, unknown>>(query: string, ...bindings: unknown[]): {toArray(): R[]}
}

/** The part of `ctx.storage` this driver uses. */
export interface DurableObjectSqlStorage {
  readonly sql: DurableObjectSql
  transactionSync<T>(body: () => T): T
}

/** A driver over `storage`, the `ctx.storage` of a Durable Object declared in `new_sqlite_classes`. */
export function durableObjectDriver(storage: DurableObjectSqlStorage): SqliteDriver {
  const {sql} = storage
  return {
    name: 'durable-object',
    // An object caches its prepared statements by their text itself: "preparing" only keeps the text.
    prepare<R extends SqlRow = SqlRow>(query: string): SqliteStatement<R> {
      const all = (...params: SqlValue[]) => sql.exec<R>(query, ...params).toArray()
      return {
        all,
        get: (...params) => all(...params)[0],
        // Read to its end, so that every statement of a cursor has run.
        run: (...params) => void all(...params),
      }
    },
    exec(query) {
      sql.exec(query).toArray()
    },
    transaction: (body) => storage.transactionSync(body),
    userVersion: null,
    close() {},
  }
}
