/**
 * A real PostgreSQL server for tests and benchmarks: a new cluster in a scratch folder, started on a
 * free port (as the `postgres` user when we are root), stopped and removed when the
 * caller is done or this process exits. Debian's packages install it under /usr/lib/postgresql/<version>/bin.
 */
import {execFileSync} from 'node:child_process'
import {chownSync, existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import pg from 'pg'
import {freePort, removeScratchDir, scratchDir} from './server-process.js'

/** The folder holding `initdb` and `pg_ctl`: the newest installed version's, or PG_BIN when set. */
export function postgresBinDir(): string {
  const given = process.env.PG_BIN
  if (given) return given
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0) throw new Error(`No PostgreSQL server under ${root}: apt-get install -y postgresql (or set PG_BIN)`)
  return join(root, versions[0]!, 'bin')
}

/** A PostgreSQL server started by `startPostgres`. */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`. */
  readonly url: string
  readonly port: number
  /** A new, empty database on this server; its URL. */
  createDatabase(name: string): Promise<string>
  /** Stops the server (`immediate`: as if it crashed; `fast`: clean shutdown), keeping its data. */
  stop(mode?: 'fast' | 'immediate'): void
  /** Starts it again on the same port, with its data. */
  start(): void
  /** Stops it and removes its data. */
  destroy(): void
  /** `postgres (PostgreSQL) 15.…`, as the server program says. */
  version(): string
}

const running = new Set<TestPostgres>()
process.once('exit', () => {
  for (const server of running) server.destroy()
})

/**
 * Starts a new cluster on a free loopback port. `durable: false` (tests) turns fsync off: a crash of
 * the server process still loses nothing committed, only a crash of the machine would.
 */
export async function startPostgres({durable = false}: {durable?: boolean} = {}): Promise<TestPostgres> {
  const bin = postgresBinDir()
  const dir = scratchDir('identity-verify-postgres-')
  const data = join(dir, 'data')
  // The server refuses to run as root: as root (CI), it runs as the `postgres` user; otherwise as us.
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], {encoding: 'utf8'}).trim())
    chownSync(dir, id('-u'), id('-g'))
  }
  const asPostgres = (program: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], {stdio: ['ignore', 'pipe', 'pipe'], cwd: dir})
      : execFileSync(join(bin, program), args, {stdio: ['ignore', 'pipe', 'pipe'], cwd: dir})
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const port = await freePort()
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=on', '-c full_page_writes=off']),
  ].join(' ')
  const start = () => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'])
  let started = false
  const server: TestPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`)
      asPostgres('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-q', '-c', `CREATE DATABASE ${name}`])
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    stop(mode = 'fast') {
      if (!started) return
      asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
      started = false
    },
    start() {
      if (started) return
      start()
      started = true
    },
    version: () => execFileSync(join(bin, 'postgres'), ['--version'], {encoding: 'utf8'}).trim(),
    destroy() {
      try {
        server.stop('immediate')
      } catch {
        // already gone
      }
      running.delete(server)
      removeScratchDir(dir)
    },
  }
  running.add(server)
  try {
    server.start()
  } catch (error) {
    server.destroy()
    throw error
  }
  return server
}

/** Runs one statement on the database at `url` with a connection of its own; its rows. */
export async function queryPostgres<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end()
  }
}
