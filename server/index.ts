/**
 * The verification server: `createApp` for a Hono site, its SQLite store and the anonymous visitor
 * identity; the rules every store shares (`planEvent`, `answeringSession`, `planCreate`) and the
 * address grouping of the per-IP limit (`addressGroup`); `serveElement`, the element's files for the
 * site to mount. Everything but the SQLite store, the element's files read from disk and Node's
 * server time-outs runs on every runtime, and is `identity-verify/server/web` on its own.
 */
export * from './web.js'
export {openSqliteStore} from './store/sqlite/index.js'
export type {SqliteStoreOptions} from './store/sqlite/index.js'
/** @deprecated The former name of `SqliteStoreOptions`. */
export type {SqliteStoreOptions as SqliteOpenOptions} from './store/sqlite/index.js'
export {NODE_SERVER_OPTIONS} from './http/node-server-options.js'
export {serveElement} from './element/index.js'
export type {ElementApp, ServeElementOptions} from './element/index.js'
