/** A fault to inject into the next matching API requests, for tests of failure handling. */
export interface Fault {
  /** HTTP method to match; any when unset. */
  method?: string
  /** Exact request path (`/v1/identity/verification_sessions`), or a prefix ending in `*`. */
  path: string
  /** Answer this status with Stripe's `api_error` shape instead of handling the request. */
  status?: number
  /** Wait this long before answering (alone: then handle the request normally). */
  delayMs?: number
  /** How many matching requests it affects; 1 when unset. */
  count?: number
}

/** The faults waiting for their requests. */
export class FaultList {
  readonly #faults: Array<Fault & {remaining: number}> = []

  /** Adds a fault; it applies to the next `count` matching requests. */
  add(fault: Fault): void {
    this.#faults.push({...fault, method: fault.method?.toUpperCase(), remaining: fault.count ?? 1})
  }

  /** The first fault matching a request, counted as used; undefined when none. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#faults.findIndex((f) => (!f.method || f.method === method) && (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : f.path === path))
    if (index < 0) return undefined
    const fault = this.#faults[index]
    if (--fault.remaining <= 0) this.#faults.splice(index, 1)
    return fault
  }
}

/** Validates a fault posted as JSON to `POST /emulator/faults`; a message when it is not one. */
export function parseFault(body: unknown): Fault | string {
  if (typeof body !== 'object' || body === null) return 'The body must be a JSON object.'
  const {method, path, status, delayMs, count} = body as Record<string, unknown>
  if (typeof path !== 'string' || !path.startsWith('/')) return 'path must be a string starting with /.'
  if (method !== undefined && typeof method !== 'string') return 'method must be a string.'
  if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599)) return 'status must be an HTTP error status (400-599).'
  if (delayMs !== undefined && (typeof delayMs !== 'number' || delayMs < 0)) return 'delayMs must be a non-negative number.'
  if (count !== undefined && (!Number.isInteger(count) || (count as number) < 1)) return 'count must be a positive integer.'
  if (status === undefined && delayMs === undefined) return 'Give status, delayMs or both.'
  return {method, path, status, delayMs, count} as Fault
}
