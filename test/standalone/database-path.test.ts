import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {ROOT, removeScratchDir, scratchDir} from '../../harness/server-process.js'
import {openSqliteStore} from '../../server/store/sqlite/index.js'

const folder = scratchDir('identity-verify-database-path-')
chmodSync(folder, 0o755)
after(() => removeScratchDir(folder))

// Permissions do not stop root: as root the server runs as nobody, for whom they do.
const asNobody = process.getuid?.() === 0 ? {uid: 65534, gid: 65534} : {}

/** `npm start` with `DATABASE_PATH`, resolving with its exit code and everything it printed. */
function start(databasePath: string): Promise<{code: number | null; output: string}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'standalone/main.ts'], {
    cwd: ROOT,
    env: {PATH: process.env.PATH ?? '', DATABASE_PATH: databasePath, PORT: '0', EMULATOR_PORT: '0'},
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asNobody,
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer)
      resolve({code, output})
    }),
  )
}

describe('npm start against a database it cannot write', () => {
  it('stops at once, naming DATABASE_PATH, when the folder cannot be written', async () => {
    const readOnly = join(folder, 'read-only')
    mkdirSync(readOnly, {mode: 0o555})
    chmodSync(readOnly, 0o555)
    const {code, output} = await start(join(readOnly, 'store.sqlite'))
    assert.equal(code, 1)
    assert.match(output, /cannot start: cannot open the database at .*read-only\/store\.sqlite \(DATABASE_PATH\)/)
  })

  it('stops at once, naming DATABASE_PATH, when the database file cannot be written', async () => {
    const shared = join(folder, 'shared')
    mkdirSync(shared)
    chmodSync(shared, 0o777)
    const path = join(shared, 'store.sqlite')
    await openSqliteStore(path).close()
    chmodSync(path, 0o444)
    const {code, output} = await start(path)
    assert.equal(code, 1)
    assert.match(output, /cannot start: cannot open the database at .*shared\/store\.sqlite \(DATABASE_PATH\): attempt to write a readonly database/)
  })

  it('stops at once, naming DATABASE_PATH, when the path is under a file', async () => {
    const file = join(folder, 'a-file')
    writeFileSync(file, '')
    const {code, output} = await start(join(file, 'store.sqlite'))
    assert.equal(code, 1)
    assert.match(output, /cannot start: cannot open the database at .*a-file\/store\.sqlite \(DATABASE_PATH\)/)
  })

  it('stops at once, naming the path, when the database is a FIFO or its WAL a folder', async () => {
    const fifo = join(folder, 'fifo.sqlite')
    spawnSync('mkfifo', [fifo])
    const {code, output} = await start(fifo)
    assert.equal(code, 1)
    assert.match(output, /cannot start: cannot open the database at .*fifo\.sqlite \(DATABASE_PATH\): .*fifo\.sqlite is not a file/)
    const withWalFolder = join(folder, 'wal-folder.sqlite')
    mkdirSync(`${withWalFolder}-wal`)
    const wal = await start(withWalFolder)
    assert.equal(wal.code, 1)
    assert.match(wal.output, /wal-folder\.sqlite-wal is not a file/)
  })

  it('stops at once, naming the file, when the visitor cookie’s key cannot be kept beside the database', async () => {
    const shared = join(folder, 'secret-folder')
    mkdirSync(shared)
    chmodSync(shared, 0o777)
    mkdirSync(join(shared, 'store.sqlite-visitor-secret'))
    const {code, output} = await start(join(shared, 'store.sqlite'))
    assert.equal(code, 1)
    assert.match(output, /cannot start: cannot keep the visitor cookie's key at .*store\.sqlite-visitor-secret .*EISDIR/)
  })
})
