import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {once} from 'node:events'
import {connect} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {newWebhookSecret, signedDelivery, verifiedEvent} from './signed-events.js'
import {freePort, removeScratchDir, scratchDir, startServerProcess, type ProgramProcess} from '../../harness/server-process.js'

const webhookSecret = newWebhookSecret()
const folder = scratchDir('identity-verify-webhook-serving-')
let server: ProgramProcess
let port: number

before(async () => {
  port = await freePort()
  server = await startServerProcess({
    entry: 'standalone/main.ts',
    readyUrls: [`http://127.0.0.1:${port}/`],
    env: {PORT: String(port), EMULATOR_PORT: '0', DATABASE_PATH: join(folder, 'store.sqlite'), STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_SECRET_KEY: undefined},
  })
  // The readiness request's own log line may be written a moment later: wait for it, so that it is
  // not taken for a line of the first delivery.
  for (let waited = 0; !server.output().includes('"path":"/"') && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
})
after(async () => {
  await server?.stop()
  removeScratchDir(folder)
})

/** The lines the server logs while `request` runs (and a moment after). */
async function linesDuring(request: () => Promise<void>): Promise<string[]> {
  const before = server.output().length
  await request()
  await new Promise((resolve) => setTimeout(resolve, 200))
  return server.output().slice(before).split('\n').filter(Boolean)
}

describe('npm start serving webhooks', () => {
  it('logs one line per delivery, naming the event', async () => {
    const id = `evt_serving_${randomBytes(4).toString('hex')}`
    const lines = await linesDuring(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/webhook`, signedDelivery(webhookSecret, verifiedEvent(id)))
      assert.equal(res.status, 200)
    })
    assert.equal(lines.length, 1, lines.join('\n'))
    assert.match(lines[0]!, new RegExp(`"msg":"webhook event recorded".*"event":"${id}"`))
  })

  it('logs one line for a refused delivery too', async () => {
    const id = `evt_refused_${randomBytes(4).toString('hex')}`
    const lines = await linesDuring(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/webhook`, signedDelivery(webhookSecret, {...verifiedEvent(id), created: 'now'}))
      assert.equal(res.status, 400)
    })
    assert.equal(lines.length, 1, lines.join('\n'))
    assert.match(lines[0]!, new RegExp(`"msg":"webhook event refused".*"event":"${id}"`))
  })

  it('drops a request whose body trickles in, within seconds', async () => {
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    const started = Date.now()
    socket.write(`POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`)
    const trickle = setInterval(() => socket.write('{'), 500)
    socket.resume()
    // The server may drop it with a reset while the client still writes: closed either way.
    socket.on('error', () => {})
    const closed = new Promise((resolve) => socket.once('close', resolve))
    try {
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the connection was still open after 20 s')), 20_000))])
    } finally {
      clearInterval(trickle)
      socket.destroy()
    }
    const heldMs = Date.now() - started
    assert.ok(heldMs < 15_000, `held for ${heldMs} ms`)
  })
})
