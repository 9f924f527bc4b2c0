/**
 * Create-session overhead: what our `POST /create-verification-session` adds (the browser's hop to
 * the server, visitor check, limits, idempotency, the store) on top of the stripe-node call it makes,
 * measured against the same emulator. Each of our requests comes from a new visitor, so every one is
 * a real create and none takes the path that reuses a visitor's open session. Each visitor also comes
 * from its own loopback address (127.0.0.2, 127.0.0.3, …), as visitors come from their own IPs, so
 * the standalone server's per-IP limit on creates is not what is measured.
 */
import {Agent, request, type IncomingHttpHeaders} from 'node:http'
import type Stripe from 'stripe'
import {median, percentile} from './stats.js'

/** Latencies of one way of creating a session, in milliseconds. */
export interface CreateTimings {
  way: string
  runs: number
  median: number
  p99: number
  samples: number[]
}

/** Both ways and what ours adds. */
export interface CreateOverhead {
  ours: CreateTimings
  direct: CreateTimings
  addedMedianMs: number
  addedP99Ms: number
}

/** A visitor: one browser, at its own address, keeping its connection open as a browser does. */
interface Visitor {
  agent: Agent
  cookie: string
}

function send(
  agent: Agent,
  url: string,
  {method = 'GET', headers = {}, body}: {method?: string; headers?: Record<string, string>; body?: string} = {},
): Promise<{status: number; headers: IncomingHttpHeaders; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request(url, {method, headers, agent}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The n-th new visitor: it loads the server's page (`GET /`), which sets its visitor cookie. */
async function newVisitor(serverUrl: string, n: number): Promise<Visitor> {
  // 127.0.0.0/8 is all loopback on Linux: 127.0.0.2, …, 127.0.0.251, 127.0.1.2, …
  const localAddress = `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`
  const agent = new Agent({keepAlive: true, maxSockets: 1, localAddress})
  const page = await send(agent, serverUrl + '/')
  const cookie = (page.headers['set-cookie'] ?? []).map((header) => header.split(';')[0]).join('; ')
  if (!cookie) throw new Error(`GET / set no visitor cookie (status ${page.status})`)
  return {agent, cookie}
}

/** One create through our server, as the element makes it; answers the elapsed milliseconds. */
async function createThroughServer(serverUrl: string, {agent, cookie}: Visitor): Promise<number> {
  const started = performance.now()
  const response = await send(agent, serverUrl + '/create-verification-session', {
    method: 'POST',
    headers: {cookie, 'content-type': 'application/json', origin: serverUrl},
    body: '{}',
  })
  const elapsed = performance.now() - started
  const body = JSON.parse(response.body) as {client_secret?: string}
  if (response.status !== 200 || !body.client_secret?.includes('_secret_')) {
    throw new Error(`POST /create-verification-session answered ${response.status} ${response.body}`)
  }
  agent.destroy()
  return elapsed
}

/** One create straight through stripe-node, with the parameters our server sends. */
async function createDirectly(stripe: Stripe, userRef: string): Promise<number> {
  const started = performance.now()
  const session = await stripe.identity.verificationSessions.create({
    type: 'document',
    client_reference_id: userRef,
    metadata: {user_id: userRef},
  })
  const elapsed = performance.now() - started
  if (!session.client_secret) throw new Error('the emulator answered a session without a client secret')
  return elapsed
}

function timings(way: string, sample: number[]): CreateTimings {
  const samples = sample.map((ms) => Math.round(ms * 100) / 100)
  return {way, runs: sample.length, median: median(sample), p99: percentile(sample, 99), samples}
}

/** `runs` creates each way, one at a time and interleaved, after a few discarded warm-up rounds. */
export async function measureCreateOverhead({
  serverUrl,
  stripe,
  runs = 100,
  warmup = 5,
}: {
  serverUrl: string
  stripe: Stripe
  runs?: number
  warmup?: number
}): Promise<CreateOverhead> {
  const ours: number[] = []
  const direct: number[] = []
  for (let i = 0; i < warmup + runs; i++) {
    const throughServer = await createThroughServer(serverUrl, await newVisitor(serverUrl, i))
    const straight = await createDirectly(stripe, `bench-direct-${i}`)
    if (i < warmup) continue
    ours.push(throughServer)
    direct.push(straight)
  }
  const result = {
    ours: timings('POST /create-verification-session', ours),
    direct: timings('stripe-node identity.verificationSessions.create', direct),
  }
  return {...result, addedMedianMs: result.ours.median - result.direct.median, addedP99Ms: result.ours.p99 - result.direct.p99}
}
