/**
 * `npm run bench`: the figures behind "light and fast", each measured beside what a site would use
 * instead, in one run on one machine, so that the ratios mean something even where absolute times
 * are noise. Prints one table and writes everything to bench/results/latest.json.
 */
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {cpus, totalmem} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type Stripe from 'stripe'
import {openSqliteStore} from '../server/store/sqlite/index.js'
import {createStripeClient} from '../server/stripe/client.js'
import {VERIFICATION_EVENT_TYPES} from '../protocol/verification-status.js'
import {measureClickToModal, measurePrefetchRequests, type ClickToModal, type PrefetchRequests} from './click-to-modal.js'
import {ensureCompiledServer} from './compiled-server.js'
import {measureCreateOverhead, type CreateOverhead} from './create-overhead.js'
import {measureScriptWeights, type ScriptWeight} from './script-weight.js'
import {freePort, removeScratchDir, scratchDir, startServerProcess} from '../harness/server-process.js'
import {formatBytes, formatMs, formatMsDifference, formatRatio, formatTable, type Row} from './table.js'
import {stripeSigner, webhookLoader, type WebhookLoad} from './webhook-load.js'
import {measurePostgresWebhooks, type PostgresWebhookFigures} from './postgres-webhooks.js'
import {measureRuntimes, runtimeNote, runtimeTable} from './runtimes.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const LATENCY_MS = 300
const CLICK_RUNS = 21
/** Page views of each kind over which the session endpoint's requests are counted. */
const PREFETCH_VIEWS = 20
const CREATE_RUNS = 100
const WEBHOOK_CONNECTIONS = 10
/** Load on each receiver in alternating rounds after a warm-up round each; whole seconds, as autocannon ends on a second's tick. */
const WEBHOOK_ROUNDS = 5
const WEBHOOK_ROUND_SECONDS = 2
const WEBHOOK_WARMUP_SECONDS = 1
const WEBHOOK_SESSIONS = 100
/**
 * Node's options for both webhook receivers, the ones docs/server.md recommends for production: a 1 MB
 * young generation (V8's default lets a busy server hold tens of MB of short-lived garbage) and an
 * old generation that grows by 30 % between full collections (V8's default lets it triple first).
 * Given to the baseline too, so that the two are compared like for like. The second is not allowed
 * in NODE_OPTIONS, so both go on the command line.
 */
const RECEIVER_NODE_FLAGS = ['--max-semi-space-size=1', '--heap-growing-percent=30'] as const

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`)
}

/** The machine, as docs/performance.md quotes it. */
function describeMachine(): {cpu: string; cores: number; memoryGb: number; node: string; os: string} {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown'
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : ''
  const os = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(osRelease)?.[1] ?? process.platform
  return {cpu, cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, os}
}

/** `dist/identity-verify.js` is what is weighed and clicked: build it when it is missing. */
function ensureBuilt(): void {
  if (existsSync(join(root, 'dist/identity-verify.js'))) return
  log('dist/identity-verify.js is missing, running npm run build')
  const build = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: ['ignore', 'inherit', 'inherit']})
  if (build.status !== 0) throw new Error('npm run build failed')
}

/** The `…created` events of the sessions made so far: the shape of every delivery in the load. */
async function createdEvents(stripe: Stripe, count: number): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = []
  for await (const event of stripe.events.list({type: VERIFICATION_EVENT_TYPES.created, limit: 100})) {
    if (event.type === VERIFICATION_EVENT_TYPES.created) events.push(event)
    if (events.length === count) break
  }
  if (events.length === 0) throw new Error('the emulator lists no identity.verification_session.created event')
  return events
}

/**
 * The sessions' statuses in the server's store after the load, which says the deliveries were
 * applied, not merely answered: every third session must have ended verified.
 */
async function statusesAfterLoad(databasePath: string, events: readonly Stripe.Event[]): Promise<Record<string, number>> {
  const store = openSqliteStore(databasePath)
  const counts: Record<string, number> = {}
  try {
    for (const event of events) {
      const session = await store.getSession((event.data.object as Stripe.Identity.VerificationSession).id)
      const status = session?.status ?? 'missing'
      counts[status] = (counts[status] ?? 0) + 1
    }
  } finally {
    await store.close()
  }
  const expectedVerified = events.filter((_, index) => index % 3 === 0).length
  if (counts.verified !== expectedVerified) {
    const found = `${counts.verified ?? 0} verified sessions, not ${expectedVerified}: ${JSON.stringify(counts)}`
    throw new Error(`the webhook load was not applied as sent: the store has ${found}`)
  }
  return counts
}

/** "2.1× faster", "1.3× slower": how ours compares where less is better. */
function lessIsBetter(ours: number, theirs: number, better: string, worse: string): string {
  return ours <= theirs ? `${formatRatio(theirs / ours)} ${better}` : `${formatRatio(ours / theirs)} ${worse}`
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`
const peakKb = (load: WebhookLoad) => Math.max(load.memory.peakKb, load.memory.sampledPeakKb)

function summaryTable(
  weights: ScriptWeight[],
  clicks: ClickToModal[],
  create: CreateOverhead,
  ours: WebhookLoad,
  baseline: WebhookLoad,
  postgres: PostgresWebhookFigures,
  prefetchRequests: PrefetchRequests,
): string {
  const [own, ...alternatives] = weights
  const sizes = (w: ScriptWeight) => `${formatBytes(w.raw)} / ${formatBytes(w.gzip)} / ${formatBytes(w.brotli)}`
  const rows: Row[] = alternatives.map((alt) => [
    'script bytes: raw / gzip / brotli',
    sizes(own!),
    `${alt.name} (${alt.file})`,
    sizes(alt),
    `theirs ÷ ours: ${[alt.raw / own!.raw, alt.gzip / own!.gzip, alt.brotli / own!.brotli].map((r) => r.toFixed(2)).join(' / ')}`,
  ])
  rows.push(...clickRows(clicks), prefetchRow(prefetchRequests))
  const baselineName = 'Express + constructEvent, no store'
  rows.push(
    [
      `webhook deliveries/s, ${ours.connections} connections, ${ours.durationS} s`,
      Math.round(ours.requestsPerSec).toLocaleString('en-US'),
      baselineName,
      Math.round(baseline.requestsPerSec).toLocaleString('en-US'),
      `${formatRatio(ours.requestsPerSec / baseline.requestsPerSec)} the baseline's rate`,
    ],
    [
      'webhook latency p50 / p99',
      `${formatMs(ours.p50)} / ${formatMs(ours.p99)}`,
      baselineName,
      `${formatMs(baseline.p50)} / ${formatMs(baseline.p99)}`,
      `${formatMsDifference(ours.p50 - baseline.p50)} / ${formatMsDifference(ours.p99 - baseline.p99)}`,
    ],
    ...postgresRows(ours, postgres),
    [
      'webhook non-2xx / errors',
      `${ours.non2xx} / ${ours.errors} of ${ours.requests.toLocaleString('en-US')}`,
      baselineName,
      `${baseline.non2xx} / ${baseline.errors} of ${baseline.requests.toLocaleString('en-US')}`,
      '',
    ],
    [
      'server peak RSS during the webhook load',
      `${mb(peakKb(ours))} (idle ${mb(ours.memory.idleKb)})`,
      baselineName,
      `${mb(peakKb(baseline))} (idle ${mb(baseline.memory.idleKb)})`,
      `${peakKb(ours) >= peakKb(baseline) ? '+' : '−'}${mb(Math.abs(peakKb(ours) - peakKb(baseline)))} ` + `(${formatRatio(peakKb(ours) / peakKb(baseline))})`,
    ],
    [
      `create session, median / p99 of ${create.ours.runs}`,
      `${formatMs(create.ours.median)} / ${formatMs(create.ours.p99)}`,
      'stripe-node create, same emulator',
      `${formatMs(create.direct.median)} / ${formatMs(create.direct.p99)}`,
      `${formatMsDifference(create.addedMedianMs)} / ${formatMsDifference(create.addedP99Ms)} added`,
    ],
  )
  return formatTable(['measure', 'identity-verify', 'compared with', 'their figure', 'difference'], rows)
}

/** What a click waits for: the element beside the other ways of opening the modal, then the element after each sign of intent. */
function clickRows(clicks: ClickToModal[]): Row[] {
  const element = clicks.find((c) => c.flow === 'element')!
  const figure = (c: ClickToModal) => `${formatMs(c.median)} (${formatRatio(c.ratioToFloor)} floor)`
  const title = `click → verifyIdentity, median of ${element.runs} (floor ${LATENCY_MS} ms)`
  const rows: Row[] = clicks
    .filter((c) => c.flow === 'sequential' || c.flow === 'eager')
    .map((other) => [title, figure(element), other.description, figure(other), lessIsBetter(element.median, other.median, 'faster', 'slower')])
  const goals: Partial<Record<ClickToModal['flow'], string>> = {rested: 'goal ≤ 0.2× floor', touch: 'goal ≤ 0.8× floor', none: 'as without prefetch'}
  for (const flow of ['rested', 'touch', 'none'] as const) {
    const c = clicks.find((c) => c.flow === flow)
    if (c) rows.push([`${title}: ${c.description}`, figure(c), element.description, figure(element), goals[flow]!])
  }
  return rows
}

/** Session endpoint requests per 100 page views, as a row. */
function prefetchRow(requests: PrefetchRequests): Row {
  return [
    `endpoint requests per 100 page views, no click (${requests.views} views each)`,
    `${requests.restedPer100} with the pointer resting 300 ms on the button`,
    'the button only scrolled into view',
    `${requests.seenPer100}`,
    '',
  ]
}

/** The webhook load on one and two instances sharing PostgreSQL, beside the same load on SQLite. */
function postgresRows(sqlite: WebhookLoad, {one, two}: PostgresWebhookFigures): Row[] {
  const rate = (perSec: number) => Math.round(perSec).toLocaleString('en-US')
  return [
    [
      'webhook deliveries/s and p99, PostgreSQL, one instance',
      `${rate(one.requestsPerSec)}, p99 ${formatMs(one.p99)}`,
      'the same load on SQLite',
      `${rate(sqlite.requestsPerSec)}, p99 ${formatMs(sqlite.p99)}`,
      `${formatRatio(one.requestsPerSec / sqlite.requestsPerSec)} SQLite's rate`,
    ],
    [
      'webhook deliveries/s and p99, PostgreSQL, two instances',
      `${rate(two.requestsPerSec)}, p99 ${formatMs(two.p99)}`,
      'one instance on PostgreSQL',
      `${rate(one.requestsPerSec)}, p99 ${formatMs(one.p99)}`,
      `${formatRatio(two.requestsPerSec / one.requestsPerSec)} one instance's rate`,
    ],
    [
      'webhook non-2xx / errors, PostgreSQL one / two instances',
      `${one.non2xx} / ${one.errors} of ${one.requests.toLocaleString('en-US')}; ${two.non2xx} / ${two.errors} of ${two.requests.toLocaleString('en-US')}`,
      '',
      '',
      '',
    ],
  ]
}

/** How each figure was taken, with the numbers a reader needs to judge it. */
function notes(clicks: ClickToModal[], ours: WebhookLoad, sessions: number, statuses: Record<string, number>): string[] {
  const element = clicks.find((c) => c.flow === 'element')!
  return [
    'Script: ours is what a page with the element downloads, dist/identity-verify.js (Lit inside), dist/stripe-loader.js and dist/hosted-flow.js (fetched with Stripe.js on the first sign of intent), as built, counted together; non-English texts, English error texts and setup warnings are separate chunks loaded only when needed; ' +
      "each alternative is its package's browser/ESM entry bundled with its dependencies and minified (rollup + terser), as a site ships it. " +
      'gzip level 9, brotli quality 11. Stripe.js, which every Stripe Identity integration loads, is not counted.',
    `Click: the session endpoint and Stripe.js each answer after ${LATENCY_MS} ms; the button is below the fold and is scrolled to and clicked at once, ` +
      `fresh browser context and no cache each run, flows interleaved. The element requested Stripe.js a median ${formatMs(element.stripeJsLeadMs)} before the click. ` +
      'With the pointer at once (no dwell) the element makes no prefetch, as with prefetch="none"; "resting" rests it 300 ms before pressing; "touch" touches the button right after scrolling and lifts 100 ms later (a tap). ' +
      `Requests per 100 page views: ${PREFETCH_VIEWS} views of each kind, fresh context each, counted a second after the gesture, no click.`,
    `Webhook: autocannon, ${ours.connections} connections, ${ours.rounds} rounds of ${(ours.durationS / ours.rounds).toFixed(1)} s taking turns with the baseline ` +
      `after a warm-up round each; every request a new event id with its own Stripe-Signature; ` +
      `${sessions} sessions (the latest made by the create measure, half through our server), ` +
      'processing/requires_input/verified mixed, every third session verified and then sent late events. ' +
      "Our server answers each event once SQLite committed it (WAL, synchronous=FULL; the events that arrive during a commit share the next one, on the store's thread); the baseline verifies and answers. " +
      `Statuses in our store afterwards: ${Object.entries(statuses)
        .map(([status, count]) => `${count} ${status}`)
        .join(', ')}.`,
    'Create: each of our requests is a new visitor (cookie from GET /, its own loopback address), so every request is a real create; ' +
      "the difference includes the browser's hop to the server.",
    'Memory: VmRSS/VmHWM of the receiving process (its SQLite store thread included). The webhook load goes to identity-verify/server as a site deploys it, ' +
      `the compiled lib/ mounted alone in a Hono app under plain Node (bench/site-server.mjs), and the baseline runs under plain Node too; both with node ${RECEIVER_NODE_FLAGS.join(' ')}; ` +
      'the emulator runs in a process of its own, not counted. The create measure runs against npm start (TypeScript through tsx).',
  ]
}

/** What the server measures give. */
interface ServerFigures {
  create: CreateOverhead
  ours: WebhookLoad
  baseline: WebhookLoad
  sessions: number
  storeStatuses: Record<string, number>
  /** The deliveries of the load, for the same load on PostgreSQL. */
  load: Omit<Parameters<typeof measurePostgresWebhooks>[0], 'rounds' | 'roundSeconds' | 'warmupSeconds' | 'log'>
}

/**
 * npm start's server (emulator mode, SQLite in a temporary folder): the create overhead first; then
 * the webhook load on it and on the Express baseline, taking turns in short rounds so that whatever
 * else the machine is doing falls on both alike.
 */
async function measureServers(): Promise<ServerFigures> {
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
  const dataDir = scratchDir('identity-verify-bench-')
  const databasePath = join(dataDir, 'bench.sqlite')
  const siteDatabasePath = join(dataDir, 'site.sqlite')
  const stops: Array<() => Promise<void>> = []
  try {
    const [port, emulatorPort] = [await freePort(), await freePort()]
    log(`npm start's server on 127.0.0.1:${port}, the emulator in a process of its own on :${emulatorPort}`)
    const url = `http://127.0.0.1:${port}`
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`
    // The emulator runs apart, so that the server's memory and CPU are the server's alone.
    const emulator = await startServerProcess({
      entry: 'emulator/main.ts',
      readyUrls: [`${emulatorUrl}/dashboard`],
      env: {EMULATOR_PORT: String(emulatorPort), STRIPE_WEBHOOK_SECRET: webhookSecret, WEBHOOK_URL: `${url}/webhook`},
    })
    stops.push(emulator.stop)
    const server = await startServerProcess({
      entry: 'standalone/main.ts',
      readyUrls: [`${url}/`],
      env: {
        PORT: String(port),
        PUBLIC_URL: url,
        EMULATOR_URL: emulatorUrl,
        DATABASE_PATH: databasePath,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        STRIPE_SECRET_KEY: undefined,
      },
    })
    stops.push(server.stop)
    try {
      // The key npm start's server uses in emulator mode (the emulator accepts any test key).
      const stripe = createStripeClient({secretKey: 'sk_test_emulator', emulatorUrl: emulatorUrl})
      log(`create-session overhead, ${CREATE_RUNS} creates each way`)
      const create = await measureCreateOverhead({serverUrl: url, stripe, runs: CREATE_RUNS})
      const events = await createdEvents(stripe, WEBHOOK_SESSIONS)

      await server.stop()

      // The webhook load goes to the server as a site deploys it: compiled, under plain Node.
      const sitePort = await freePort()
      const siteUrl = `http://127.0.0.1:${sitePort}`
      const site = await startServerProcess({
        entry: 'bench/site-server.mjs',
        nodeFlags: RECEIVER_NODE_FLAGS,
        readyUrls: [`${siteUrl}/`],
        env: {
          PORT: String(sitePort),
          STRIPE_WEBHOOK_SECRET: webhookSecret,
          DATABASE_PATH: siteDatabasePath,
          EMULATOR_URL: emulatorUrl,
        },
      })
      stops.push(site.stop)
      const baselinePort = await freePort()
      const baselineUrl = `http://127.0.0.1:${baselinePort}`
      const express = await startServerProcess({
        entry: 'bench/express-baseline.mjs',
        nodeFlags: RECEIVER_NODE_FLAGS,
        readyUrls: [`${baselineUrl}/`],
        env: {PORT: String(baselinePort), STRIPE_WEBHOOK_SECRET: webhookSecret},
      })
      stops.push(express.stop)
      // The same deliveries, signed alike, at the same concurrency, for both receivers.
      const load = {sign: stripeSigner(stripe, webhookSecret), createdEvents: events, connections: WEBHOOK_CONNECTIONS}
      const receivers = [
        webhookLoader({...load, target: 'identity-verify', url: siteUrl, pid: site.pid}),
        webhookLoader({...load, target: 'express', url: baselineUrl, pid: express.pid}),
      ]
      log(`webhook load, ${events.length} sessions, ${WEBHOOK_CONNECTIONS} connections, ${WEBHOOK_ROUNDS} alternating rounds of ${WEBHOOK_ROUND_SECONDS} s each`)
      for (const receiver of receivers) await receiver.round(WEBHOOK_WARMUP_SECONDS, {warmup: true})
      for (let round = 0; round < WEBHOOK_ROUNDS; round++) {
        for (const receiver of receivers) await receiver.round(WEBHOOK_ROUND_SECONDS)
      }
      const [ours, baseline] = receivers.map((receiver) => receiver.summary()) as [WebhookLoad, WebhookLoad]
      for (const stop of stops.splice(0)) await stop()
      const storeStatuses = await statusesAfterLoad(siteDatabasePath, events)
      return {create, ours, baseline, sessions: events.length, storeStatuses, load: {...load, webhookSecret}}
    } catch (err) {
      process.stderr.write(`--- last lines of the server ---\n${server.output(40)}\n`)
      throw err
    }
  } finally {
    for (const stop of stops) await stop()
    removeScratchDir(dataDir)
  }
}

/** `tsx bench/run.ts --click`: the element's click figures alone, printed, without the slow server measures. */
async function clickOnly(): Promise<void> {
  ensureBuilt()
  log(`click to modal in Chromium, ${CLICK_RUNS} runs per flow`)
  const click = await measureClickToModal(root, {latencyMs: LATENCY_MS, runs: CLICK_RUNS})
  log(`endpoint requests over ${PREFETCH_VIEWS} page views of each kind`)
  const requests = await measurePrefetchRequests(root, {latencyMs: LATENCY_MS, views: PREFETCH_VIEWS})
  const table = formatTable(['measure', 'identity-verify', 'compared with', 'their figure', 'difference'], [...clickRows(click.results), prefetchRow(requests)])
  process.stdout.write(`\n${table}\n\nChromium ${click.setup.chromium}\n`)
  process.stdout.write(JSON.stringify({clickToModal: click, prefetchRequests: requests}, null, 2) + '\n')
}

/** `tsx bench/run.ts --webhooks`: the webhook load on npm start's server (SQLite) and the baseline alone, printed. */
async function webhooksOnly(): Promise<void> {
  ensureBuilt()
  ensureCompiledServer(root, log)
  const {create, ours, baseline} = await measureServers()
  const figures = (load: WebhookLoad) =>
    `${Math.round(load.requestsPerSec)}/s, p50 ${formatMs(load.p50)}, p99 ${formatMs(load.p99)}, non-2xx ${load.non2xx}, ${Math.round(load.cpuUsPerDelivery)} µs CPU per delivery`
  process.stdout.write(`identity-verify (SQLite): ${figures(ours)}\nbaseline: ${figures(baseline)}\nratio: ${(ours.requestsPerSec / baseline.requestsPerSec).toFixed(3)}\n`)
  process.stdout.write(`create median ${formatMs(create.ours.median)} (direct ${formatMs(create.direct.median)})\n`)
}

/** The webhook load on each runtime: the same rounds as on npm start's server. */
const RUNTIME_LOAD = {connections: WEBHOOK_CONNECTIONS, rounds: WEBHOOK_ROUNDS, roundSeconds: WEBHOOK_ROUND_SECONDS, warmupSeconds: WEBHOOK_WARMUP_SECONDS, log}

/** `tsx bench/run.ts --runtimes`: the runtimes' table alone, printed. */
async function runtimesOnly(): Promise<void> {
  const runtimes = await measureRuntimes(RUNTIME_LOAD)
  process.stdout.write(`\n${runtimeTable(runtimes.runtimes)}\n\n- ${runtimeNote(runtimes)}\n`)
  process.stdout.write(JSON.stringify(runtimes, null, 2) + '\n')
}

async function main(): Promise<void> {
  if (process.argv.includes('--click')) return clickOnly()
  if (process.argv.includes('--webhooks')) return webhooksOnly()
  if (process.argv.includes('--runtimes')) return runtimesOnly()
  const started = Date.now()
  const machine = describeMachine()
  ensureBuilt()
  ensureCompiledServer(root, log)

  log('script weight')
  const weights = await measureScriptWeights(root)
  const {create, ours, baseline, sessions, storeStatuses, load} = await measureServers()
  log(`webhook load on PostgreSQL, one instance and two, ${WEBHOOK_ROUNDS} alternating rounds of ${WEBHOOK_ROUND_SECONDS} s each`)
  const postgres = await measurePostgresWebhooks({
    ...load,
    rounds: WEBHOOK_ROUNDS,
    roundSeconds: WEBHOOK_ROUND_SECONDS,
    warmupSeconds: WEBHOOK_WARMUP_SECONDS,
    log,
  })

  log('the server on Node, workerd, Bun and Deno over one PostgreSQL, and on the stores they keep without it')
  const runtimes = await measureRuntimes(RUNTIME_LOAD)

  log(`click to modal in Chromium, ${CLICK_RUNS} runs per flow`)
  const click = await measureClickToModal(root, {latencyMs: LATENCY_MS, runs: CLICK_RUNS})
  log(`endpoint requests over ${PREFETCH_VIEWS} page views of each kind`)
  const prefetchRequests = await measurePrefetchRequests(root, {latencyMs: LATENCY_MS, views: PREFETCH_VIEWS})

  const table = summaryTable(weights, click.results, create, ours, baseline, postgres, prefetchRequests)
  const howMeasured = [
    ...notes(click.results, ours, sessions, storeStatuses),
    `PostgreSQL: ${postgres.postgresVersion} on the same machine, fsync on, a fresh cluster; the same deliveries and the same ${WEBHOOK_CONNECTIONS} connections ` +
      `on one npm start instance, then split over two sharing the database and one emulator (npm run emulator), taking turns; ` +
      "two instances' rate is their sum and their p99 the higher of the two. Each event is one transaction (a per-session advisory lock, the event id, the session's row).",
    runtimeNote(runtimes),
  ]
  const machineLine = `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; ` + `Node ${machine.node}; Chromium ${click.setup.chromium}`
  const durationS = Math.round((Date.now() - started) / 1000)
  const bullets = howMeasured.map((note) => `- ${note}`).join('\n')
  process.stdout.write(`\n${table}\n\n${runtimeTable(runtimes.runtimes)}\n\n${bullets}\n\nMachine: ${machineLine}. Bench took ${durationS} s.\n`)

  mkdirSync(join(root, 'bench/results'), {recursive: true})
  const results = {
    date: new Date().toISOString(),
    durationS,
    machine: {...machine, chromium: click.setup.chromium},
    scriptWeight: weights,
    clickToModal: click,
    prefetchRequests,
    webhook: {ours, baseline, postgres, storeStatusesAfterLoad: storeStatuses},
    createOverhead: create,
    runtimes,
    table,
    notes: howMeasured,
  }
  writeFileSync(join(root, 'bench/results/latest.json'), JSON.stringify(results, null, 2) + '\n')
  log('wrote bench/results/latest.json')
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
