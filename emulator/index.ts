import type {AddressInfo} from 'node:net'
import {serve} from '@hono/node-server'
import {createEmulator, type EmulatorOptions} from './emulator.js'
import type {Fault} from './faults.js'

export {createEmulator, DEFAULT_RETRY_DELAYS_MS, DEFAULT_WEBHOOK_URL, type Emulator, type EmulatorOptions} from './emulator.js'
export type {Fault} from './faults.js'
export type {DeliveryAttempt} from './webhooks.js'
export {signPayload} from './webhooks.js'
export {TEST_CASES, type Outcome} from './test-cases.js'

/** An emulator listening on a port. */
export interface RunningEmulator {
  /** `http://127.0.0.1:54321`, no trailing slash. */
  url: string
  port: number
  /** Where events go from now on (the server may start after the emulator). */
  setWebhookUrl(url: string): void
  /** Makes the next `count` matching API requests fail with `status` and/or wait `delayMs`. */
  injectFault(fault: Fault): void
  /** Stops listening and cancels pending retries and timers. */
  close(): Promise<void>
}

/** How long the emulator keeps an idle connection open, in ms. */
const KEEP_ALIVE_MS = 60_000

/** Starts an emulator on `hostname:port` (port 0 picks a free one; hostname 127.0.0.1 by default). */
export function startEmulator(options: EmulatorOptions & {port?: number; hostname?: string}): Promise<RunningEmulator> {
  const {port = 0, hostname = '127.0.0.1', ...rest} = options
  const emulator = createEmulator(rest)
  return new Promise((resolve, reject) => {
    // A kept-alive connection stays open a minute, as API servers keep theirs, not Node's default 5 s:
    // a client reusing one just as the emulator closed it got ECONNRESET, which a client without
    // retries (a test's `fetch`) reported as a failure.
    const server = serve({fetch: emulator.app.fetch, port, hostname, serverOptions: {keepAliveTimeout: KEEP_ALIVE_MS}}, (info: AddressInfo) => {
      server.off('error', reject)
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      resolve({
        url: `http://${hostname === 'localhost' ? 'localhost' : host}:${info.port}`,
        port: info.port,
        setWebhookUrl: emulator.setWebhookUrl,
        injectFault: emulator.injectFault,
        close: () =>
          new Promise<void>((done) => {
            emulator.close()
            server.close(() => done())
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
    server.once('error', reject)
  })
}
