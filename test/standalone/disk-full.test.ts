import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {closeSync, openSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {startStandaloneServer, type StandaloneServer} from '../../harness/standalone-server.js'
import {removeScratchDir, scratchDir} from '../../harness/server-process.js'
import {assertFailuresToldOnce, newWebhookSecret, signedDelivery, storedEventIds, verifiedEvent} from './signed-events.js'

/** The file system the database lives on: small, so that a test can fill it. */
const FILESYSTEM_BYTES = 8 * 2 ** 20
/** The longest a webhook may take while the disk is full: the store's write time-out (5 s), and room for a loaded machine. */
const WEBHOOK_BOUND_MS = 7_000

const webhookSecret = newWebhookSecret()
const folder = scratchDir('identity-verify-disk-full-')
let server: StandaloneServer | undefined
let mounted = false
after(async () => {
  await server?.stop()
  if (mounted) spawnSync('umount', [folder])
  removeScratchDir(folder)
})

/** Mounts a small tmpfs on the scratch folder; the reason when this machine does not let it (mounting needs root). */
function mountSmallFilesystem(): string | null {
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${FILESYSTEM_BYTES}`, 'tmpfs', folder], {encoding: 'utf8'})
  if (mount.status !== 0) return `cannot mount a tmpfs here: ${(mount.stderr || mount.error?.message || '').trim()}`
  mounted = true
  return null
}

/** Fills the file system with a file of zeros until it has no byte left. */
function fill(path: string): void {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
    // The last bytes, smaller than a chunk.
    try {
      for (;;) writeSync(fd, chunk, 0, 512)
    } catch {
      // full
    }
  } finally {
    closeSync(fd)
  }
}

describe('npm start on a disk that fills up', () => {
  it('answers webhooks 500 within the time-out, tells it in one error line, keeps its pages, and recovers once space is back', async (t) => {
    const refused = mountSmallFilesystem()
    if (refused) return t.skip(refused)
    server = await startStandaloneServer({databasePath: join(folder, 'store.sqlite'), env: {STRIPE_WEBHOOK_SECRET: webhookSecret}})
    const deliver = async (id: string) => {
      const started = performance.now()
      const res = await fetch(`${server!.url}/webhook`, signedDelivery(webhookSecret, verifiedEvent(id, `user_${id}`)))
      await res.arrayBuffer()
      return {status: res.status, ms: performance.now() - started}
    }
    const acknowledged: string[] = []
    for (let i = 0; i < 20; i++) {
      assert.equal((await deliver(`evt_before_${i}`)).status, 200)
      acknowledged.push(`evt_before_${i}`)
    }

    const filler = join(folder, 'filler')
    fill(filler)
    // Until SQLite needs a byte it does not have (its WAL may still have room), then every one fails.
    const failed: string[] = []
    for (let i = 0; i < 400 && failed.length < 20; i++) {
      const id = `evt_full_${i}`
      const {status, ms} = await deliver(id)
      assert.ok(status === 200 || status === 500, `${id} answered ${status}`)
      assert.ok(ms <= WEBHOOK_BOUND_MS, `${id} took ${ms.toFixed(0)} ms`)
      ;(status === 200 ? acknowledged : failed).push(id)
    }
    assert.equal(failed.length, 20, 'the full disk failed webhooks')
    const page = await fetch(`${server.url}/`)
    assert.equal(page.status, 200)
    await page.arrayBuffer()

    rmSync(filler)
    // Stripe delivers the failed ones again: each is recorded now, as are new ones.
    for (const id of [...failed, 'evt_after']) {
      assert.equal((await deliver(id)).status, 200, `${id} once space is back`)
      acknowledged.push(id)
    }
    const stored = storedEventIds(join(folder, 'store.sqlite'))
    assert.deepEqual(
      acknowledged.filter((id) => !stored.has(id)),
      [],
    )
    assertFailuresToldOnce(server.output(), /full/)
  })
})
