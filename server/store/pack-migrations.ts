/**
 * `npm run migrations`: packs each store's `migrations/NNNN-name.sql` files into the `schema.ts` beside
 * them, which the store imports: every runtime can then apply them, Cloudflare Workers included,
 * which has no files to read. A test fails while a `schema.ts` differs from its folder's files.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {Migration} from './migrations.js'

/** The stores whose migrations are packed, by their folder under `server/store/`. */
export const STORE_FOLDERS = ['sqlite', 'postgres'] as const

const FILE_NAME = /^(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.sql$/
const BREAKING = /^-- breaking: \S/

/** The migrations of a `migrations/` folder, checked: numbered from 1 without a gap, each name well formed. */
export function readMigrations(folder: string): Migration[] {
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
  return files.map((file, index) => {
    const match = FILE_NAME.exec(file)
    if (!match) throw new Error(`${folder}/${file}: a migration is named NNNN-name.sql (four digits, then lower-case words joined by -)`)
    const version = Number(match[1])
    if (version !== index + 1) throw new Error(`${folder}/${file}: migration ${index + 1} is missing (migrations are numbered 1, 2, 3…)`)
    const sql = readFileSync(`${folder}/${file}`, 'utf8').trim()
    return {version, name: match[2]!, breaking: BREAKING.test(sql), sql}
  })
}

/** The text of the `schema.ts` module holding `migrations`. */
export function schemaModule(migrations: readonly Migration[], folderName: string): string {
  const entries = migrations.map((migration) => `  ${JSON.stringify(migration)},`).join('\n')
  return [
    `// Written by \`npm run migrations\` from ${folderName}/migrations/*.sql: edit those files, not this one.`,
    "import type {Migration} from '../migrations.js'",
    '',
    "/** The schema's migrations, in order. */",
    `export const MIGRATIONS: readonly Migration[] = [\n${entries}\n]`,
    '',
  ].join('\n')
}

/** Where a store's packed migrations are written. */
export const schemaPath = (store: (typeof STORE_FOLDERS)[number]) => fileURLToPath(new URL(`./${store}/schema.ts`, import.meta.url))

/** Where a store's migration files are. */
export const migrationsFolder = (store: (typeof STORE_FOLDERS)[number]) => fileURLToPath(new URL(`./${store}/migrations`, import.meta.url))

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const store of STORE_FOLDERS) {
    const migrations = readMigrations(migrationsFolder(store))
    writeFileSync(schemaPath(store), schemaModule(migrations, store))
    process.stdout.write(`${store}: ${migrations.length} migrations packed into server/store/${store}/schema.ts\n`)
  }
}
