/**
 * Webhook throughput and latency: signed `identity.verification_session.*` deliveries at a fixed
 * concurrency, each request with its own event id and its own `Stripe-Signature`, computed when it is
 * sent, exactly as Stripe signs.
 */
import {readFileSync} from 'node:fs'
import autocannon from 'autocannon'
import type Stripe from 'stripe'
import {VERIFICATION_EVENT_TYPES, type VerificationStatus} from '../protocol/verification-status.js'
import {median, percentile} from './stats.js'

/** Resident memory of a process from /proc, in kibibytes: now (`VmRSS`) and its peak so far (`VmHWM`). */
function residentMemory(pid: number): {rssKb: number; peakKb: number} {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return {rssKb: field('VmRSS'), peakKb: field('VmHWM')}
}

/** Signs a payload the way Stripe does (`t=…,v1=…`), at the current time. */
export type Signer = (payload: string) => string

/** Known answers of Stripe's scheme: hex HMAC-SHA256 of `${t}.${payload}` keyed with the whole secret. */
const SIGNATURE_VECTORS = [
  {
    secret: 'whsec_test_secret',
    timestamp: 1700000000,
    payload: '{"id":"evt_1","object":"event","type":"identity.verification_session.verified"}',
    header: 't=1700000000,v1=16b3e9d0c314cd7d57c211c7cc797816aed13445407a2a4480c68bb660334f3d',
  },
  {
    secret: 'whsec_Zm9vYmFyYmF6',
    timestamp: 1764000000,
    payload: '{"id":"evt_2","note":"é😀"}',
    header: 't=1764000000,v1=f3f2ebba27968bc696f2f21deb3bce417ba3cf76775653b6ec4ee0fd7f2450c3',
  },
] as const

/** A signer through stripe-node's own header generator, checked first against known answers. */
export function stripeSigner(stripe: Stripe, secret: string): Signer {
  for (const vector of SIGNATURE_VECTORS) {
    const header = stripe.webhooks.generateTestHeaderString({payload: vector.payload, secret: vector.secret, timestamp: vector.timestamp})
    if (header !== vector.header) throw new Error(`signature scheme mismatch: ${header} instead of ${vector.header}`)
  }
  return (payload) => stripe.webhooks.generateTestHeaderString({payload, secret})
}

const REQUIRES_INPUT_ERRORS = [
  {code: 'document_unverified_other', reason: 'The document was invalid.'},
  {code: 'document_expired', reason: 'The document is expired.'},
] as const

/**
 * The status of event `round` of session `index`: sessions go processing → requires_input →
 * processing → …; every third session is verified at its fourth event, after which its events are
 * late ones that the receiver must ignore. Every event's `created` is newer than the previous one's.
 */
export function statusOfDelivery(index: number, round: number): VerificationStatus {
  if (round % 2 === 0) return 'processing'
  return index % 3 === 0 && round === 3 ? 'verified' : 'requires_input'
}

/**
 * The n-th delivery: a new event (unique id) about one of the sessions, in the shape of the
 * `…created` event Stripe sent for it, with the status, `last_error` and `created` of its round.
 */
export function deliveryPayload(createdEvents: readonly Stripe.Event[], n: number, runId: string): string {
  const index = n % createdEvents.length
  const round = Math.floor(n / createdEvents.length)
  const template = createdEvents[index]!
  const session = template.data.object as Stripe.Identity.VerificationSession
  const status = statusOfDelivery(index, round)
  const event = {
    ...template,
    id: `evt_bench_${runId}_${n}`,
    type: VERIFICATION_EVENT_TYPES[status],
    created: template.created + round + 1,
    data: {
      object: {
        ...session,
        status,
        last_error: status === 'requires_input' ? REQUIRES_INPUT_ERRORS[round % REQUIRES_INPUT_ERRORS.length] : null,
      },
    },
  }
  return JSON.stringify(event)
}

/** CPU time a process and all its threads used so far (user and system), in µs, from /proc. */
function cpuTimeUs(pid: number): number {
  // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th, in clock ticks (USER_HZ, 100).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

/** What the load on one receiver observed, over all its rounds. */
export interface WebhookLoad {
  target: string
  connections: number
  /** Measured seconds, warm-up excluded. */
  durationS: number
  rounds: number
  requests: number
  requestsPerSec: number
  /** Response latency, ms. */
  p50: number
  p99: number
  /** Answers other than 2xx. */
  non2xx: number
  /** Connection errors and time-outs. */
  errors: number
  statusCodes: Record<string, number>
  /** The server's memory, kibibytes: before the load, the highest sample during it, and its lifetime peak after it. */
  memory: {idleKb: number; sampledPeakKb: number; peakKb: number}
  /** The server's CPU time per delivery answered, µs (all its threads): what the machine's other work disturbs least. */
  cpuUsPerDelivery: number
}

/** Load on one receiver, given in rounds so that two receivers can take turns and share the machine's noise. */
export interface WebhookLoader {
  /** Sends deliveries for `seconds` (whole seconds); a warm-up round is sent but not counted. */
  round(seconds: number, options?: {warmup?: boolean}): Promise<void>
  /** Everything the counted rounds observed. */
  summary(): WebhookLoad
}

/** A load of signed deliveries on `url`, autocannon at `connections`, sampling the server's memory while it runs. */
export function webhookLoader({
  target,
  url,
  pid,
  sign,
  createdEvents,
  connections = 10,
}: {
  target: string
  url: string
  pid: number
  sign: Signer
  createdEvents: readonly Stripe.Event[]
  connections?: number
}): WebhookLoader {
  const runId = Math.random().toString(36).slice(2, 8)
  let sent = 0
  const latencies: number[] = []
  const statusCodes: Record<string, number> = {}
  let durationS = 0
  let rounds = 0
  let non2xx = 0
  let errors = 0
  const idleKb = residentMemory(pid).rssKb
  let sampledPeakKb = idleKb
  let cpuUs = 0

  async function round(seconds: number, {warmup = false} = {}): Promise<void> {
    const sampler = setInterval(() => {
      sampledPeakKb = Math.max(sampledPeakKb, residentMemory(pid).rssKb)
    }, 50)
    const roundLatencies: number[] = []
    const cpuBefore = cpuTimeUs(pid)
    try {
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${url}/webhook`,
            connections,
            duration: seconds,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => {
                  const body = deliveryPayload(createdEvents, sent++, runId)
                  const headers = {...request.headers, 'content-type': 'application/json', 'stripe-signature': sign(body)}
                  return {...request, body, headers}
                },
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        )
        // autocannon's own histogram has whole-millisecond resolution; these are hrtime-precise.
        instance.on('response', (_client, _status, _bytes, responseTime) => roundLatencies.push(responseTime))
      })
      if (warmup) return
      cpuUs += cpuTimeUs(pid) - cpuBefore
      rounds++
      durationS += result.duration
      latencies.push(...roundLatencies)
      non2xx += result.non2xx
      errors += result.errors
      for (const [code, {count}] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + (count ?? 0)
    } finally {
      clearInterval(sampler)
    }
  }

  function summary(): WebhookLoad {
    return {
      target,
      connections,
      durationS: Math.round(durationS * 10) / 10,
      rounds,
      requests: latencies.length,
      requestsPerSec: latencies.length / durationS,
      p50: median(latencies),
      p99: percentile(latencies, 99),
      non2xx,
      errors,
      statusCodes,
      memory: {idleKb, sampledPeakKb, peakKb: residentMemory(pid).peakKb},
      cpuUsPerDelivery: cpuUs / latencies.length,
    }
  }

  return {round, summary}
}
