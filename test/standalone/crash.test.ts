import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import Database from 'better-sqlite3'
import {startStandaloneServer} from '../../harness/standalone-server.js'
import {removeScratchDir, scratchDir} from '../../harness/server-process.js'
import {openSqliteStore} from '../../server/store/sqlite/index.js'
import {newWebhookSecret, signedDelivery, verifiedEvent} from './signed-events.js'

const KILLS = 10
const CONNECTIONS = 8

const webhookSecret = newWebhookSecret()
const folder = scratchDir('identity-verify-crash-')
const databasePath = join(folder, 'store.sqlite')
after(() => removeScratchDir(folder))

/** The event ids in the database's events table. */
function eventIdsInTable(): Set<string> {
  const db = new Database(databasePath)
  try {
    return new Set((db.prepare('SELECT id FROM events').all() as {id: string}[]).map((row) => row.id))
  } finally {
    db.close()
  }
}

/** The event ids in the store as the next start finds them: opening records what its inbox holds. */
async function storedEventIds(): Promise<Set<string>> {
  await openSqliteStore(databasePath).close()
  return eventIdsInTable()
}

describe('npm start killed with SIGKILL under webhook load', () => {
  it(`keeps every delivery it answered 2xx, across ${KILLS} kills and restarts`, async (t) => {
    const acknowledged: string[] = []
    let onlyInInbox = 0
    let sent = 0
    for (let kill = 0; kill < KILLS; kill++) {
      const server = await startStandaloneServer({databasePath, env: {STRIPE_WEBHOOK_SECRET: webhookSecret}})
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
      const inTable = eventIdsInTable()
      onlyInInbox += acknowledged.filter((id) => !inTable.has(id)).length
      const stored = await storedEventIds()
      assert.deepEqual(acknowledged.filter((id) => !stored.has(id)), [], `after kill ${kill + 1}`)
    }
    assert.ok(acknowledged.length > KILLS * 20, `only ${acknowledged.length} deliveries acknowledged in all`)
    // Answered once in the inbox, and recorded from it at the next start: the path a crash takes.
    t.diagnostic(`${onlyInInbox} of ${acknowledged.length} acknowledged deliveries were still only in the inbox when killed`)
    assert.ok(onlyInInbox > 0, 'every acknowledged delivery was already recorded when the server was killed')
  })
})
