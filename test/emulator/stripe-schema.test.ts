import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {ROUTE_PARAMS, type Route} from '../../emulator/route-params.js'
import {emulatorForTests} from './emulator-fixture.js'
import {stripeOpenApi, violations} from './stripe-schema.js'

// Every answer in this file (as in every emulator test file) is checked against Stripe's schema by
// the fixture; this file makes sure every route is among them, answering and refusing.
const t = emulatorForTests()

const KEY = {Authorization: 'Bearer sk_test_schema'}

/** A concrete URL path for a route: its `{…}` replaced by the id of an object of that kind. */
function pathOf(route: Route, ids: {session: string; report: string; event: string}): string {
  return route.split(' ')[1].replace('{session}', ids.session).replace('{report}', ids.report).replace('{id}', ids.event)
}

async function call(route: Route, path: string, params: Record<string, string> = {}): Promise<{status: number; body: {error?: {code?: string; param?: string}}}> {
  const [method] = route.split(' ')
  const query = new URLSearchParams(params).toString()
  const res =
    method === 'GET'
      ? await fetch(`${t.emulator.url}${path}${query ? `?${query}` : ''}`, {headers: KEY})
      : await fetch(`${t.emulator.url}${path}`, {method, headers: {...KEY, 'Content-Type': 'application/x-www-form-urlencoded'}, body: query})
  return {status: res.status, body: (await res.json()) as {error?: {code?: string; param?: string}}}
}

/** Fresh objects for each route to work on: a verified session (with its report and an event) and a requires_input one. */
async function freshIds() {
  const verified = await t.stripe.identity.verificationSessions.create({type: 'document', client_reference_id: 'schema', provided_details: {email: 'jenny@example.com'}})
  await fetch(`${t.emulator.url}/emulator/verification_sessions/${verified.id}/submit`, {method: 'POST', body: new URLSearchParams({outcome: 'verified'})})
  const open = await t.stripe.identity.verificationSessions.create({type: 'document'})
  const report = (await t.stripe.identity.verificationSessions.retrieve(verified.id)).last_verification_report as string
  const [event] = (await t.stripe.events.list({limit: 1})).data
  return {verified: verified.id, open: open.id, report, event: event.id}
}

describe("Stripe's schema, over every route", () => {
  it('knows the parameters Stripe lists for each route, and no others', () => {
    for (const [route, stripeParams] of Object.entries(stripeOpenApi.requestParams)) {
      const pathParams = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      assert.deepEqual([...ROUTE_PARAMS[route as Route]].sort(), stripeParams.filter((p) => !pathParams.includes(p)).sort(), route)
    }
  })

  it('answers every route with a shape of Stripe, and refuses an unknown parameter on every route with parameter_unknown', async () => {
    for (const route of Object.keys(ROUTE_PARAMS) as Route[]) {
      const ids = await freshIds()
      // Cancel needs an open session; the others work on the verified one.
      const path = pathOf(route, {session: route.endsWith('/cancel') ? ids.open : ids.verified, report: ids.report, event: ids.event})
      const params: Record<string, string> = route === 'POST /v1/identity/verification_sessions' ? {type: 'document'} : {}
      const ok = await call(route, path, params)
      assert.equal(ok.status, 200, `${route}: ${JSON.stringify(ok.body)}`)
      const refused = await call(route, path, {...params, colour: 'blue'})
      assert.equal(refused.status, 400, route)
      assert.equal(refused.body.error?.code, 'parameter_unknown', route)
      assert.equal(refused.body.error?.param, 'colour', route)
    }
    const routes = new Set(t.answers.filter((a) => a.status === 200).map((a) => a.route))
    for (const route of Object.keys(ROUTE_PARAMS)) assert.ok(routes.has(route), `no answer of ${route} was checked`)
  })

  it('checks the errors of each kind against the error shape', async () => {
    const {verified} = await freshIds()
    const answers = [
      await call('GET /v1/identity/verification_sessions/{session}', '/v1/identity/verification_sessions/vs_missing'),
      await call('GET /v1/identity/verification_reports/{report}', '/v1/identity/verification_reports/vr_missing'),
      await call('POST /v1/identity/verification_sessions/{session}/cancel', `/v1/identity/verification_sessions/${verified}/cancel`),
      await call('GET /v1/events', '/v1/events', {'created[gt]': 'yesterday'}),
    ]
    assert.deepEqual(
      answers.map((a) => a.status),
      [404, 404, 400, 400],
    )
    const unauthenticated = await fetch(`${t.emulator.url}/v1/identity/verification_reports`)
    assert.equal(unauthenticated.status, 401)
    assert.deepEqual(violations('error', await unauthenticated.json()), [])
  })

  it("refuses what is not Stripe's: a field of another type, a field Stripe does not have, an event about something else", async () => {
    const json = (await (await fetch(`${t.emulator.url}/v1/identity/verification_sessions/${(await freshIds()).verified}`, {headers: KEY})).json()) as Record<string, unknown>
    assert.deepEqual(violations('session', json), [])
    assert.deepEqual(violations('session', {...json, created: String(json.created)}), ['/created must be integer'])
    assert.deepEqual(violations('session', {...json, colour: 'blue'}), ['/ must NOT have additional properties (colour)'])
    assert.deepEqual(violations('session', {...json, status: 'approved'}), ['/status must be equal to one of the allowed values'])
    const event = (await (await fetch(`${t.emulator.url}/v1/events?limit=1`, {headers: KEY})).json()) as {data: Array<Record<string, unknown>>}
    assert.deepEqual(violations('event', event.data[0]), [])
    assert.deepEqual(violations('event', {...event.data[0], data: {object: {...json, livemode: 'no'}}}), ['/data/object/livemode must be boolean'])
  })
})
