/**
 * The server on each runtime it runs on (Node's `npm start`, Bun, workerd through `wrangler dev`,
 * Deno), over one durable PostgreSQL, and without `DATABASE_URL` on the store each keeps by itself
 * (a SQLite file for Node, Bun and Deno, Durable Objects for Workers), with one emulator: how soon each
 * answers after its start, the webhook load each takes, and what a create through each adds to the
 * stripe-node call it makes.
 */
import {join} from 'node:path'
import {randomBytes} from 'node:crypto'
import {performance} from 'node:perf_hooks'
import type Stripe from 'stripe'
import {startEmulatorProgram, type Deployment, type FileDeployment, type ListeningProgram} from '../harness/instances.js'
import {startPostgres} from '../harness/postgres.js'
import {RUNTIMES, startRuntimeInstance, type Runtime} from '../harness/runtimes.js'
import {removeScratchDir, scratchDir} from '../harness/server-process.js'
import {createStripeClient} from '../server/stripe/client.js'
import {VERIFICATION_EVENT_TYPES} from '../protocol/verification-status.js'
import {median, percentile} from './stats.js'
import {formatMs, formatMsDifference, formatRatio, formatTable, type Row} from './table.js'
import {stripeSigner, webhookLoader, type WebhookLoad} from './webhook-load.js'

/** Creates per runtime: each from a new visitor at one address, under the per-IP limit's 30 per 10 minutes. */
const CREATE_RUNS = 24
const CREATE_WARMUP = 3

/** Where a server keeps its sessions: PostgreSQL at `DATABASE_URL`, or without it its own store (SQLite at `DATABASE_PATH`, Durable Objects on Workers). */
type StoreKind = 'postgres' | 'embedded'

/** A server the bench measures: a runtime and its store. */
interface Entry {
  runtime: Runtime
  store: StoreKind
}

/**
 * Every runtime on PostgreSQL, then each keeping its sessions itself without `DATABASE_URL`: Node, Bun
 * and Deno in a SQLite file each, Workers in Durable Objects (which wrangler dev keeps in a folder).
 */
const ENTRIES: readonly Entry[] = [...RUNTIMES.map((runtime): Entry => ({runtime, store: 'postgres'})), ...RUNTIMES.map((runtime): Entry => ({runtime, store: 'embedded'}))]

/** What one runtime did. */
export interface RuntimeFigures {
  runtime: Runtime
  store: StoreKind
  webhooks: WebhookLoad
  create: {runs: number; median: number; p99: number; directMedian: number; directP99: number; addedMedianMs: number}
  /** From starting the program until it answers (the element's script), then its first `/healthz` and first create (on Workers, new objects making their schema). */
  start: {readyMs: number; firstHealthMs: number; firstCreateMs: number}
}

/** Milliseconds `work` took. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

/** A create through the server by a new visitor (a browser page on the server's origin, no credential yet). */
async function createThrough(url: string): Promise<void> {
  await timedAnswer(() => fetch(`${url}/create-verification-session`, {method: 'POST', headers: {Origin: url}}))
}

/** Milliseconds `work` took to answer 200 with its body read. */
async function timedAnswer(request: () => Promise<Response>): Promise<number> {
  const started = performance.now()
  const answer = await request()
  const body = await answer.text()
  if (answer.status !== 200) throw new Error(`${answer.url} answered ${answer.status}: ${body}`)
  return performance.now() - started
}

/** Starts the server, timing it until it answers and its first answers after that. */
async function startTimed(runtime: Runtime, deployment: Deployment | FileDeployment): Promise<{server: ListeningProgram; start: RuntimeFigures['start']}> {
  const started = performance.now()
  const server = await startRuntimeInstance(runtime, deployment)
  const readyMs = performance.now() - started
  const firstHealthMs = await timedAnswer(() => fetch(`${server.url}/healthz`))
  const firstCreateMs = await timedAnswer(() => fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {Origin: server.url}}))
  return {server, start: {readyMs, firstHealthMs, firstCreateMs}}
}

/** `runs` creates through the server and as many straight to the emulator, interleaved, after a warm-up. */
async function measureCreates(url: string, stripe: Stripe): Promise<RuntimeFigures['create']> {
  const ours: number[] = []
  const direct: number[] = []
  for (let i = 0; i < CREATE_WARMUP + CREATE_RUNS; i++) {
    const through = await timed(() => createThrough(url))
    const straight = await timed(() => stripe.identity.verificationSessions.create({type: 'document', client_reference_id: `bench-${i}`}))
    if (i < CREATE_WARMUP) continue
    ours.push(through)
    direct.push(straight)
  }
  return {
    runs: ours.length,
    median: median(ours),
    p99: percentile(ours, 99),
    directMedian: median(direct),
    directP99: percentile(direct, 99),
    addedMedianMs: median(ours) - median(direct),
  }
}

/** How a webhook load is sent: its connections, its rounds after a warm-up round, and where progress is told. */
export interface LoadRounds {
  connections: number
  rounds: number
  roundSeconds: number
  warmupSeconds: number
  log(message: string): void
}

/** The first 100 `…created` events the emulator holds: the sessions the load's deliveries are about. */
async function createdEvents(stripe: Stripe): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = []
  for await (const event of stripe.events.list({type: VERIFICATION_EVENT_TYPES.created, limit: 100})) {
    events.push(event)
    if (events.length === 100) break
  }
  return events
}

/**
 * Starts each runtime's server on a database of its own, measures its creates, then loads all of them
 * with webhook deliveries in turns (`rounds` of `roundSeconds` each, after a warm-up round).
 */
export async function measureRuntimes({connections, rounds, roundSeconds, warmupSeconds, log}: LoadRounds): Promise<{postgresVersion: string; runtimes: RuntimeFigures[]}> {
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
  const postgres = await startPostgres({durable: true})
  const files = scratchDir('identity-verify-bench-runtimes-')
  const programs: ListeningProgram[] = []
  try {
    // The emulator's own deliveries go nowhere: the load is the deliveries sent here.
    const emulator = await startEmulatorProgram({webhookSecret, webhookUrl: 'http://127.0.0.1:9/webhook'})
    programs.push(emulator)
    const stripe = createStripeClient({secretKey: 'sk_test_emulator', emulatorUrl: emulator.url})
    const visitorSecret = randomBytes(32).toString('hex')
    const servers: Array<Entry & Pick<RuntimeFigures, 'create' | 'start'> & {server: ListeningProgram}> = []
    for (const {runtime, store} of ENTRIES) {
      const services = {emulatorUrl: emulator.url, webhookSecret, visitorSecret}
      const deployment: Deployment | FileDeployment =
        store === 'postgres'
          ? {...services, databaseUrl: await postgres.createDatabase(`bench_${runtime}`)}
          : // Workers keeps its Durable Objects in the folder; the others their file.
            {...services, databasePath: runtime === 'workers' ? join(files, runtime) : join(files, runtime, 'identity-verify.sqlite')}
      const {server, start} = await startTimed(runtime, deployment)
      programs.push(server)
      log(`${runtime} on ${store} on :${server.port}: ${CREATE_RUNS} creates each way`)
      servers.push({runtime, store, server, start, create: await measureCreates(server.url, stripe)})
    }
    const events = await createdEvents(stripe)
    const sign = stripeSigner(stripe, webhookSecret)
    const loaders = servers.map(({runtime, store, server}) =>
      webhookLoader({target: `${runtime} on ${store}`, url: server.url, pid: server.pid, sign, createdEvents: events, connections}),
    )
    log(`webhook load on each runtime, ${connections} connections, ${rounds} rounds of ${roundSeconds} s taking turns`)
    for (const loader of loaders) await loader.round(warmupSeconds, {warmup: true})
    for (let round = 0; round < rounds; round++) for (const loader of loaders) await loader.round(roundSeconds)
    return {
      postgresVersion: `PostgreSQL ${/\d+\.\d+/.exec(postgres.version())?.[0] ?? ''}`.trim(),
      runtimes: servers.map(({runtime, store, create, start}, i) => ({runtime, store, create, start, webhooks: loaders[i]!.summary()})),
    }
  } finally {
    for (const program of programs.reverse()) await program.stop()
    postgres.destroy()
    removeScratchDir(files)
  }
}

/** A runtime's store as the table names it. */
const storeName = (runtime: Runtime, store: StoreKind) =>
  store === 'postgres' ? 'PostgreSQL' : runtime === 'workers' ? 'no DATABASE_URL (Durable Objects)' : 'no DATABASE_URL (SQLite file)'

/** Seconds with one decimal. */
const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** The table of the runtimes, each beside Node on the same kind of store. */
export function runtimeTable(runtimes: readonly RuntimeFigures[]): string {
  const nodeOn = (store: StoreKind) => runtimes.find((figures) => figures.runtime === 'node' && figures.store === store)
  const rows: Row[] = runtimes.map(({runtime, store, webhooks, create, start}) => [
    `${runtime}, ${storeName(runtime, store)}`,
    `${Math.round(webhooks.requestsPerSec).toLocaleString('en-US')}, p99 ${formatMs(webhooks.p99)}`,
    runtime === 'node' || !nodeOn(store) ? '' : `${formatRatio(webhooks.requestsPerSec / nodeOn(store)!.webhooks.requestsPerSec)} Node's rate`,
    `${webhooks.non2xx} / ${webhooks.errors} of ${webhooks.requests.toLocaleString('en-US')}`,
    `${formatMs(create.median)} / ${formatMs(create.p99)}`,
    formatMsDifference(create.addedMedianMs),
    `${formatSeconds(start.readyMs)}; ${formatMs(start.firstHealthMs)} / ${formatMs(start.firstCreateMs)}`,
  ])
  return formatTable(
    [
      'runtime, store',
      'webhook deliveries/s',
      'beside Node',
      'non-2xx / errors',
      'create median / p99',
      'added to stripe-node (median)',
      'answers after start; first /healthz / create',
    ],
    rows,
  )
}

/** How the runtime figures were taken. */
export function runtimeNote({postgresVersion, runtimes}: {postgresVersion: string; runtimes: readonly RuntimeFigures[]}): string {
  const [first] = runtimes
  return (
    `Runtimes: ${runtimes.map((figures) => `${figures.runtime} on ${figures.store}`).join(', ')} (Node is npm start through tsx; workerd runs under wrangler dev, which opens a PostgreSQL connection per request, or without DATABASE_URL keeps its Durable Objects' SQLite files in a folder), ` +
    `each on its own database of one ${postgresVersion} (fsync on), or without DATABASE_URL on a SQLite file of its own (WAL, synchronous=FULL; Node writes on its store thread, Bun and Deno on their main thread), and one emulator; ` +
    `${first?.webhooks.connections ?? 0} connections, rounds taking turns after a warm-up round each; ` +
    `${first?.create.runs ?? 0} creates each, every one a new visitor, interleaved with stripe-node creates on the same emulator.`
  )
}
