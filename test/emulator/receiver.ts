import {createServer, type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'

/** A webhook POST as the receiver saw it. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders
  body: string
}

/**
 * A tiny webhook receiver on 127.0.0.1, port 0. `answer` picks the status of each request (by its
 * 1-based number); `waitFor` resolves once `count` requests matched.
 */
export async function startReceiver(answer: (n: number, request: ReceivedRequest) => number | 'hang' = () => 200) {
  const received: ReceivedRequest[] = []
  const waiters: Array<() => void> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {headers: req.headers, body: Buffer.concat(chunks).toString('utf8')}
      received.push(request)
      for (const wake of waiters.splice(0)) wake()
      const status = answer(received.length, request)
      if (status === 'hang') return
      res.writeHead(status, {'Content-Type': 'application/json'}).end(JSON.stringify({received: status < 300}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    /** Events received so far, parsed. */
    events: () => received.map((r) => JSON.parse(r.body) as {id: string; type: string; data: {object: {id: string; status: string; last_error: {code: string} | null}}}),
    /** Resolves when `predicate` holds for the requests received, or rejects after `timeoutMs`. */
    async waitFor(predicate: (requests: ReceivedRequest[]) => boolean, timeoutMs = 3000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met after ${timeoutMs} ms (${received.length} requests)`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 50)
        })
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
