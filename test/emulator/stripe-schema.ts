/**
 * Stripe's published OpenAPI schema for the Identity objects, events and errors
 * (stripe-identity-openapi.json, a subset of Stripe's document), as a validator of the emulator's
 * answers. Two things are stricter than the document itself, so that a drift shows:
 * - an object with listed properties accepts no other property (Stripe's objects have fixed fields);
 * - an event's `data.object` (a bare `object` in the document) is checked as a VerificationSession.
 */
import {readFileSync} from 'node:fs'
import {Ajv, type ErrorObject, type ValidateFunction} from 'ajv'

type Schema = {[key: string]: unknown}

/** The fixture as it was copied from Stripe's document. */
export const stripeOpenApi = JSON.parse(readFileSync(new URL('./stripe-identity-openapi.json', import.meta.url), 'utf8')) as {
  roots: Record<string, Schema>
  requestParams: Record<string, string[]>
  components: {schemas: Record<string, Schema>}
}

/** OpenAPI 3.0's `nullable` as JSON Schema, and closed objects. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (typeof node !== 'object' || node === null) return node
  const out: Schema = {}
  for (const [key, value] of Object.entries(node)) if (key !== 'nullable' && key !== 'description' && !key.startsWith('x-')) out[key] = toJsonSchema(value)
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false
  if ((node as Schema).nullable !== true) return out
  if (typeof out.type === 'string') return {...out, type: [out.type, 'null'], ...(Array.isArray(out.enum) && {enum: [...out.enum, null]})}
  if (Array.isArray(out.anyOf)) return {...out, anyOf: [...out.anyOf, {type: 'null'}]}
  return {anyOf: [out, {type: 'null'}]}
}

const ref = (name: string) => ({$ref: `stripe#/components/schemas/${name}`})

/** A root of the fixture, its references pointing into the registered document. */
const root = (name: string) => JSON.parse(JSON.stringify(toJsonSchema(stripeOpenApi.roots[name])).replaceAll('"#/components/', '"stripe#/components/')) as Schema

/** A list object of these items at this URL, shaped as Stripe's other lists. */
const listOf = (item: string, url: string) => ({
  type: 'object',
  properties: {object: {enum: ['list']}, data: {type: 'array', items: ref(item)}, has_more: {type: 'boolean'}, url: {type: 'string', pattern: `^${url}`}},
  required: ['object', 'data', 'has_more', 'url'],
  additionalProperties: false,
})

const ajv = new Ajv({strict: false, allErrors: true})
ajv.addFormat('unix-time', {type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0})
ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/)
ajv.addSchema({$id: 'stripe', components: toJsonSchema(stripeOpenApi.components)})

/** The shapes the emulator answers, by name. */
export const SHAPES = {
  session: ajv.compile(ref('identity.verification_session')),
  session_list: ajv.compile(root('verification_session_list')),
  // The fixture has no list root for reports; Stripe's report list is shaped as its other lists.
  report: ajv.compile(ref('identity.verification_report')),
  report_list: ajv.compile(listOf('identity.verification_report', '/v1/identity/verification_reports')),
  event: ajv.compile(ref('event')),
  event_list: ajv.compile(root('event_list')),
  error: ajv.compile(ref('error')),
} satisfies Record<string, ValidateFunction>

export type Shape = keyof typeof SHAPES

/** The route an API path is, in the fixture's spelling (`GET /v1/events/{id}`), or null when it is none of Stripe's. */
export function routeOf(method: string, path: string): string | null {
  const routes: Array<[RegExp, string]> = [
    [/^\/v1\/identity\/verification_sessions$/, '/v1/identity/verification_sessions'],
    [/^\/v1\/identity\/verification_sessions\/[^/]+$/, '/v1/identity/verification_sessions/{session}'],
    [/^\/v1\/identity\/verification_sessions\/[^/]+\/(cancel|redact)$/, '/v1/identity/verification_sessions/{session}/$1'],
    [/^\/v1\/identity\/verification_reports$/, '/v1/identity/verification_reports'],
    [/^\/v1\/identity\/verification_reports\/[^/]+$/, '/v1/identity/verification_reports/{report}'],
    [/^\/v1\/events$/, '/v1/events'],
    [/^\/v1\/events\/[^/]+$/, '/v1/events/{id}'],
  ]
  for (const [pattern, route] of routes) if (pattern.test(path)) return `${method} ${path.replace(pattern, route)}`
  return null
}

/** The shape a successful answer of a route has. */
function shapeOf(route: string): Shape {
  if (route.includes('verification_reports')) return route.endsWith('{report}') ? 'report' : 'report_list'
  if (route.includes('/v1/events')) return route.endsWith('{id}') ? 'event' : 'event_list'
  return route === 'GET /v1/identity/verification_sessions' ? 'session_list' : 'session'
}

const describeErrors = (errors: ErrorObject[] | null | undefined, at = '') =>
  (errors ?? []).map((e) => `${at}${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)

/** What is wrong with a value of a shape; empty when it is Stripe's. */
export function violations(shape: Shape, value: unknown): string[] {
  const validate = SHAPES[shape]
  const found = validate(value) ? [] : describeErrors(validate.errors)
  const events = shape === 'event' ? [value] : shape === 'event_list' ? ((value as {data?: unknown[]}).data ?? []) : []
  for (const [i, event] of events.entries()) {
    const object = (event as {data?: {object?: unknown}}).data?.object
    if (!SHAPES.session(object)) found.push(...describeErrors(SHAPES.session.errors, shape === 'event' ? '/data/object' : `/data/${i}/data/object`))
  }
  return found
}

/** What is wrong with an answer of the API: the error shape for a 4xx or 5xx, the route's shape otherwise. */
export function answerViolations(route: string, status: number, body: unknown): string[] {
  return violations(status >= 400 ? 'error' : shapeOf(route), body)
}
