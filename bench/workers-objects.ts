/**
 * The Worker without `DATABASE_URL` (workerd through `wrangler dev`, its state in SQLite-backed
 * Durable Objects kept in a scratch folder): how soon after `wrangler dev` starts it answers, what a
 * create through it adds to the stripe-node call it makes, and the webhook load it takes.
 */
import {randomBytes} from 'node:crypto'
import {performance} from 'node:perf_hooks'
import {startEmulatorProgram, type ListeningProgram} from '../harness/instances.js'
import {startWorkersOnObjects} from '../harness/runtimes.js'
import {scratchDir} from '../harness/server-process.js'
import {createStripeClient} from '../server/stripe/client.js'
import {createdEvents, measureCreates, type LoadRounds, type RuntimeFigures} from './runtimes.js'
import {stripeSigner, webhookLoader} from './webhook-load.js'

/** What the Worker on Durable Objects did: the runtime's figures, and its first answers after a start. */
export interface ObjectsFigures extends Omit<RuntimeFigures, 'runtime'> {
  runtime: 'workers (Durable Objects)'
  /** From spawning `wrangler dev` until the element's script answers; then the first `/healthz` and the first create (new objects, their schema made). */
  start: {readyMs: number; firstHealthMs: number; firstCreateMs: number}
}

/** Milliseconds until `request` answered, its body read; throws unless it answered 200. */
async function firstAnswer(request: () => Promise<Response>): Promise<number> {
  const started = performance.now()
  const answer = await request()
  const body = await answer.text()
  if (answer.status !== 200) throw new Error(`answered ${answer.status}: ${body}`)
  return performance.now() - started
}

/** Starts the Worker on Durable Objects, times its first answers and creates, then loads it with webhook deliveries. */
export async function measureWorkersOnObjects({connections, rounds, roundSeconds, warmupSeconds, log}: LoadRounds): Promise<ObjectsFigures> {
  const webhookSecret = `whsec_${randomBytes(24).toString('hex')}`
  const programs: ListeningProgram[] = []
  try {
    const emulator = await startEmulatorProgram({webhookSecret, webhookUrl: 'http://127.0.0.1:9/webhook'})
    programs.push(emulator)
    const stripe = createStripeClient({secretKey: 'sk_test_emulator', emulatorUrl: emulator.url})
    const deployment = {emulatorUrl: emulator.url, webhookSecret, visitorSecret: randomBytes(32).toString('hex')}
    const spawned = performance.now()
    const server = await startWorkersOnObjects(deployment, scratchDir('identity-verify-bench-objects-'))
    const readyMs = performance.now() - spawned
    programs.push(server)
    const firstHealthMs = await firstAnswer(() => fetch(`${server.url}/healthz`))
    const firstCreateMs = await firstAnswer(() => fetch(`${server.url}/create-verification-session`, {method: 'POST', headers: {Origin: server.url}}))
    log(`workers on Durable Objects on :${server.port}: creates each way`)
    const create = await measureCreates(server.url, stripe)
    const events = await createdEvents(stripe)
    const loader = webhookLoader({
      target: 'workers (Durable Objects)',
      url: server.url,
      pid: server.pid,
      sign: stripeSigner(stripe, webhookSecret),
      createdEvents: events,
      connections,
    })
    log(`webhook load on workers on Durable Objects, ${connections} connections, ${rounds} rounds of ${roundSeconds} s`)
    await loader.round(warmupSeconds, {warmup: true})
    for (let round = 0; round < rounds; round++) await loader.round(roundSeconds)
    return {runtime: 'workers (Durable Objects)', create, webhooks: loader.summary(), start: {readyMs, firstHealthMs, firstCreateMs}}
  } finally {
    for (const program of programs.reverse()) await program.stop()
  }
}
