/**
 * The webhook load on the PostgreSQL store: one `npm start` instance, then two sharing the database
 * and one emulator (`npm run emulator`), the same deliveries at the same total concurrency as the
 * SQLite run. PostgreSQL runs durable (fsync on), as SQLite commits every event with a sync before its answer.
 */
import {randomBytes} from 'node:crypto'
import type Stripe from 'stripe'
import {startEmulatorProgram, startInstance, type Deployment, type ListeningProgram} from '../harness/instances.js'
import {startPostgres} from '../harness/postgres.js'
import {webhookLoader, type Signer, type WebhookLoad} from './webhook-load.js'

/** What the load on one and on two instances observed. */
export interface PostgresWebhookFigures {
  one: WebhookLoad
  /** Both instances together: their deliveries per second summed, latencies each instance's own. */
  two: {requestsPerSec: number; requests: number; non2xx: number; errors: number; p50: number; p99: number; instances: WebhookLoad[]}
  postgresVersion: string
}

/**
 * Measures `rounds` rounds of `roundSeconds` on one instance and on two, taking turns, after a warm-up
 * round each; `connections` in all, split evenly over two instances.
 */
export async function measurePostgresWebhooks({
  webhookSecret,
  sign,
  createdEvents,
  connections,
  rounds,
  roundSeconds,
  warmupSeconds,
  log,
}: {
  webhookSecret: string
  sign: Signer
  createdEvents: readonly Stripe.Event[]
  connections: number
  rounds: number
  roundSeconds: number
  warmupSeconds: number
  log(message: string): void
}): Promise<PostgresWebhookFigures> {
  const postgres = await startPostgres({durable: true})
  const programs: ListeningProgram[] = []
  try {
    const databaseUrl = await postgres.createDatabase('bench')
    const emulator = await startEmulatorProgram({webhookSecret, webhookUrl: 'http://127.0.0.1:9/webhook'})
    programs.push(emulator)
    const deployment: Deployment = {databaseUrl, emulatorUrl: emulator.url, webhookSecret, visitorSecret: randomBytes(32).toString('hex')}
    const [first, second] = await Promise.all([startInstance(deployment), startInstance(deployment)])
    programs.push(first!, second!)
    log(`PostgreSQL on :${postgres.port}, instances on :${first!.port} and :${second!.port}, emulator at ${emulator.url}`)
    const load = {sign, createdEvents}
    const alone = webhookLoader({...load, target: 'postgres, one instance', url: first!.url, pid: first!.pid, connections})
    const pair = [first!, second!].map((instance, i) =>
      webhookLoader({...load, target: `postgres, instance ${i + 1} of 2`, url: instance.url, pid: instance.pid, connections: connections / 2}),
    )
    const both = (seconds: number, options?: {warmup?: boolean}) => Promise.all(pair.map((loader) => loader.round(seconds, options))).then(() => {})
    await alone.round(warmupSeconds, {warmup: true})
    await both(warmupSeconds, {warmup: true})
    for (let round = 0; round < rounds; round++) {
      await alone.round(roundSeconds)
      await both(roundSeconds)
    }
    const instances = pair.map((loader) => loader.summary())
    const sum = (pick: (load: WebhookLoad) => number) => instances.reduce((total, load) => total + pick(load), 0)
    const version = `PostgreSQL ${/\d+\.\d+/.exec(postgres.version())?.[0] ?? ''}`.trim()
    return {
      one: alone.summary(),
      two: {
        requestsPerSec: sum((load) => load.requestsPerSec),
        requests: sum((load) => load.requests),
        non2xx: sum((load) => load.non2xx),
        errors: sum((load) => load.errors),
        p50: Math.max(...instances.map((load) => load.p50)),
        p99: Math.max(...instances.map((load) => load.p99)),
        instances,
      },
      postgresVersion: version,
    }
  } finally {
    for (const program of programs.reverse()) await program.stop()
    postgres.destroy()
  }
}
