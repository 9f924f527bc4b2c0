/**
 * Bun and Deno without `DATABASE_URL`: the server keeps its sessions in the SQLite file at
 * `DATABASE_PATH` through the runtime's own SQLite. A visitor verifies (create, the verified test
 * case on the emulator, the signed webhook recorded in the file), and after a restart on the same
 * file the same visitor is still verified.
 */
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {startEmulatorProgram, type FileDeployment, type ListeningProgram} from '../../harness/instances.js'
import {eventually, startRuntimeInstance} from '../../harness/runtimes.js'
import {freePort, removeScratchDir, scratchDir} from '../../harness/server-process.js'
import {VISITOR_CREDENTIAL_HEADER} from '../../protocol/wire.js'

/** Reads the file as another program would, while the server runs (WAL lets a reader in). */
function readRows<T>(path: string, sql: string, ...params: string[]): T[] {
  const db = new Database(path, {readonly: true, fileMustExist: true})
  try {
    return db.prepare<string[], T>(sql).all(...params)
  } finally {
    db.close()
  }
}

for (const runtime of ['bun', 'deno'] as const) {
  describe(`the server on ${runtime} without DATABASE_URL`, () => {
    const folder = scratchDir(`identity-verify-${runtime}-file-`)
    const databasePath = join(folder, 'nested', 'identity-verify.sqlite')
    let emulator: ListeningProgram
    let deployment: FileDeployment
    let port: number

    before(async () => {
      port = await freePort()
      const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
      emulator = await startEmulatorProgram({webhookSecret, webhookUrl: `http://127.0.0.1:${port}/webhook`})
      // No VISITOR_SECRET: the key derived from the webhook secret signs visitors, the same after a restart.
      deployment = {databasePath, emulatorUrl: emulator.url, webhookSecret, visitorSecret: ''}
    })

    after(async () => {
      await emulator?.stop()
      removeScratchDir(folder)
    })

    it('records the verified webhook in its SQLite file, and the visitor is still verified after a restart on it', async () => {
      const server = await startRuntimeInstance(runtime, deployment, port)
      let credential: string
      let sessionId: string
      try {
        assert.match(server.output(), new RegExp(`"database":"SQLite file ${databasePath}"`), 'the start says where the sessions are kept')
        const created = await fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {Origin: server.url}})
        assert.equal(created.status, 200, await created.clone().text())
        const {client_secret: clientSecret} = (await created.json()) as {client_secret: string}
        credential = created.headers.get(VISITOR_CREDENTIAL_HEADER)!
        assert.ok(credential, 'the create answers the visitor credential')
        sessionId = clientSecret.split('_secret_')[0]!
        assert.deepEqual(readRows(databasePath, 'SELECT id, status FROM sessions'), [{id: sessionId, status: 'requires_input'}])

        const played = await fetch(`${emulator.url}/emulator/verification_sessions/${sessionId}/submit`, {
          method: 'POST',
          headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({outcome: 'verified', client_secret: clientSecret}),
        })
        assert.equal(played.status, 200, await played.clone().text())
        const recorded = await eventually(
          () => readRows<{id: string}>(databasePath, `SELECT id FROM events WHERE session_id = ? AND type = 'identity.verification_session.verified'`, sessionId)[0],
          'the verified event in the SQLite file',
        )
        assert.match(recorded.id, /^evt_/)
        assert.deepEqual(readRows(databasePath, 'SELECT status FROM sessions WHERE id = ?', sessionId), [{status: 'verified'}])

        const status = await fetch(`${server.url}/verification-session`, {headers: {Origin: server.url, [VISITOR_CREDENTIAL_HEADER]: credential}})
        assert.equal(status.status, 200)
        assert.deepEqual(await status.json(), {id: sessionId, status: 'verified', last_error: null})
      } finally {
        await server.stop()
      }
      // A graceful stop closed the store: the write-ahead log was checkpointed into the file and removed.
      assert.equal(await server.exited, 0, server.output(20))
      assert.equal(existsSync(`${databasePath}-wal`), false, 'the WAL file is gone after the stop')

      const again = await startRuntimeInstance(runtime, deployment, port)
      try {
        const status = await fetch(`${again.url}/verification-session`, {headers: {Origin: again.url, [VISITOR_CREDENTIAL_HEADER]: credential}})
        assert.equal(status.status, 200, again.output(20))
        assert.deepEqual(await status.json(), {id: sessionId, status: 'verified', last_error: null})
        for (const path of ['/', '/confirmation', '/embed']) assert.equal((await fetch(`${again.url}${path}`)).status, 200, path)
      } finally {
        await again.stop()
      }
    })
  })
}
