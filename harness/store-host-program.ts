/**
 * The store host (`store-host.ts`) as a program of Bun or Deno, over the SQLite store of that runtime's
 * own driver (`bun:sqlite`, `node:sqlite`), each store in a file of the folder `STORE_HOST_DIR`,
 * listening on `PORT`.
 */
import {join} from 'node:path'
import {openDriverConnection} from '../server/store/sqlite/connection.js'
import type {SqliteDriver} from '../server/store/sqlite/driver.js'
import {storeHost} from './store-host.js'

declare const Bun: {serve(options: {port: number; hostname: string; fetch(request: Request): Promise<Response>}): unknown} | undefined
declare const Deno: {serve(options: {port: number; hostname: string}, handler: (request: Request) => Promise<Response>): unknown} | undefined

const folder = process.env.STORE_HOST_DIR!
const port = Number(process.env.PORT)

/** The runtime's driver on the file at `path`. */
async function openDriver(path: string): Promise<SqliteDriver> {
  if (typeof Bun !== 'undefined') return (await import('../server/store/sqlite/drivers/bun-sqlite.js')).openBunSqlite(path)
  return (await import('../server/store/sqlite/drivers/node-sqlite.js')).openNodeSqlite(path)
}

let unnamed = 0
const handler = storeHost(async (name) => {
  const path = join(folder, `${name ?? `store-${unnamed++}`}.sqlite`)
  return openDriverConnection(await openDriver(path), {name: path})
})

if (typeof Bun !== 'undefined') Bun.serve({port, hostname: '127.0.0.1', fetch: handler})
else Deno!.serve({port, hostname: '127.0.0.1'}, handler)
