/**
 * The parts of the runtimes' own SQLite modules that their drivers use: Bun's and Deno's types are
 * not installed, and Node 20's types have no `node:sqlite`.
 */
declare module 'bun:sqlite' {
  export interface Statement<R, P extends unknown[]> {
    all(...params: P): R[]
    get(...params: P): R | null
    run(...params: P): unknown
  }
  export class Database {
    constructor(path: string, options?: {create?: boolean; readonly?: boolean; strict?: boolean})
    prepare<R, P extends unknown[]>(sql: string): Statement<R, P>
    exec(sql: string): void
    transaction<A extends unknown[], T>(body: (...args: A) => T): ((...args: A) => T) & {immediate(...args: A): T}
    close(): void
  }
}

declare module 'node:sqlite' {
  type Value = string | number | bigint | null | Uint8Array
  export interface StatementSync {
    all(...params: Value[]): unknown[]
    get(...params: Value[]): unknown
    run(...params: Value[]): unknown
  }
  export class DatabaseSync {
    constructor(path: string, options?: {open?: boolean; readOnly?: boolean})
    prepare(sql: string): StatementSync
    exec(sql: string): void
    close(): void
  }
}
