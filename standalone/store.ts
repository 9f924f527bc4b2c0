import {openSqliteStore, type Logger, type VerificationStore} from '../server/index.js'
import type {ServerConfig} from '../site/config.js'

/** The store `npm start` uses, and how the start banner names it. */
export interface ConfiguredStore {
  store: VerificationStore
  /** `DATABASE_URL` with its password masked, or the SQLite file's path. */
  description: string
}

/** A database URL fit for a banner or a log: its password never is. */
export function maskedDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://…'
  }
}

/** The PostgreSQL store with `DATABASE_URL`, else the SQLite file at `DATABASE_PATH`, which tells `logger` what it cannot do. */
export async function openConfiguredStore(config: ServerConfig, logger: Logger): Promise<ConfiguredStore> {
  if (!config.databaseUrl) return {store: openSqliteStore(config.databasePath, {logger}), description: config.databasePath}
  // Loaded only when asked for: a SQLite deployment needs no PostgreSQL driver.
  const {openPostgresStore} = await import('../server/store/postgres/index.js')
  const store = await openPostgresStore(config.databaseUrl, {poolSize: config.databasePoolSize})
  return {store, description: maskedDatabaseUrl(config.databaseUrl)}
}
