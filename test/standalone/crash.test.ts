import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {startStandaloneServer} from '../../harness/standalone-server.js'
import {removeScratchDir, scratchDir} from '../../harness/server-process.js'
import {newWebhookSecret, signedDelivery, storedEventIds, verifiedEvent} from './signed-events.js'

const KILLS = 10
const CONNECTIONS = 8

const webhookSecret = newWebhookSecret()
const folder = scratchDir('identity-verify-crash-')
const databasePath = join(folder, 'store.sqlite')
after(() => removeScratchDir(folder))

describe('npm start killed with SIGKILL under webhook load', () => {
  it(`keeps every delivery it answered 2xx, across ${KILLS} kills and restarts`, async () => {
    const acknowledged: string[] = []
    let sent = 0
    for (let kill = 0; kill < KILLS; kill++) {
      const server = await startStandaloneServer({databasePath, env: {STRIPE_WEBHOOK_SECRET: webhookSecret}})
      // One delivery first, answered once the store's thread runs: the load then meets a server at work.
      const first = `evt_crash_${kill}_first`
      assert.equal((await fetch(`${server.url}/webhook`, signedDelivery(webhookSecret, verifiedEvent(first, `user_${first}`)))).status, 200)
      acknowledged.push(first)
      let running = true
      const loops = Array.from({length: CONNECTIONS}, async () => {
        while (running) {
          const id = `evt_crash_${kill}_${sent++}`
          try {
            const res = await fetch(`${server.url}/webhook`, signedDelivery(webhookSecret, verifiedEvent(id, `user_${id}`)))
            await res.arrayBuffer()
            if (res.status >= 200 && res.status < 300) acknowledged.push(id)
          } catch {
            // the connection died with the server: this delivery was not acknowledged
          }
        }
      })
      // Killed at a different moment of the load each time.
      await new Promise((resolve) => setTimeout(resolve, 300 + ((kill * 97) % 400)))
      process.kill(server.pid, 'SIGKILL')
      await server.exited
      running = false
      await Promise.all(loops)
      // Read from the database as the kill left it: an answer 2xx means committed, nothing to recover.
      const stored = storedEventIds(databasePath)
      assert.deepEqual(
        acknowledged.filter((id) => !stored.has(id)),
        [],
        `after kill ${kill + 1}`,
      )
    }
    assert.ok(acknowledged.length > KILLS * 20, `only ${acknowledged.length} deliveries acknowledged in all`)
    // Besides the database and its WAL, nothing of the store's own: no journal beside SQLite's.
    const files = readdirSync(folder)
      .filter((file) => file.startsWith('store.sqlite'))
      .sort()
    assert.deepEqual(
      files.filter((file) => !/^store\.sqlite(-wal|-shm|-visitor-secret)?$/.test(file)),
      [],
    )
  })
})
