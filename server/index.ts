/**
 * The verification server: `createApp` for a Hono site, its SQLite store and the anonymous visitor
 * identity; the rules every store shares (`planEvent`, `answeringSession`, `planCreate`) and the
 * address grouping of the per-IP limit (`addressGroup`). Everything but the SQLite store and Node's
 * server time-outs runs on every runtime, and is `identity-verify/server/web` on its own.
 */
export * from './web.js'
export {openSqliteStore} from './sqlite-writer.js'
export type {SqliteOpenOptions} from './sqlite-writer.js'
export type {SqliteStoreOptions} from './sqlite-store.js'
export {NODE_SERVER_OPTIONS} from './node-server-options.js'
