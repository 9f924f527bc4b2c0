import assert from 'node:assert/strict'
import {request} from 'node:http'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {scratchDir} from '../../../harness/server-process.js'
import {startStandaloneServer, type StandaloneServer} from '../../../harness/standalone-server.js'
import {CREATE_SESSION_PATH, RETURN_URL_HEADER, VISITOR_CREDENTIAL_HEADER} from '../../../protocol/wire.js'
import {visitorIdentity} from '../../../server/visitor/identity.js'
import {readConfig} from '../../../site/config.js'
import {siteApp} from '../../../site/site-app.js'
import {emulatorSuite, stripeClient, testLogger, testStore, WEBHOOK_SECRET} from '../fixtures.js'

// The server's own origin is configured (`publicUrl`, `PUBLIC_URL`), never read from a request: a
// request that names another host, in `Host`, in an absolute-form target or in `X-Forwarded-*`, gets
// no hosted page returning there, and a page there gets no visitor credential.

const PHISH = 'http://evil.example/phish'
const VISITOR_SECRET = 'a-test-secret-that-is-long-enough-0123456789'

/** One way of naming another host, and the origin a page of that host would send. */
interface Spoof {
  name: string
  /** The request as the server reads it, for `app.request`: its URL and extra headers. */
  url: string
  headers: Record<string, string>
  /** The origin the spoofed request makes the server believe is its own. */
  foreignOrigin: string
}

/** What one request answered, as far as the spoofing goes. */
interface Answer {
  status: number
  /** The hosted page's URL, for a 200 `{url}`. */
  url: string | null
  /** The page origin named by an `Identity-Verify-Visitor` credential in the answer. */
  credentialOrigin: string | null
}

/** The page origin a visitor credential names (`<id>.<expiry>.<origin, base64url>.<signature>`). */
function credentialOriginOf(credential: string | null | undefined): string | null {
  const origin = credential?.split('.')[2]
  return origin === undefined ? null : Buffer.from(origin, 'base64url').toString('utf8')
}

async function answerOf(status: number, headers: Headers | Record<string, string | string[] | undefined>, body: string): Promise<Answer> {
  const header = (name: string) => (headers instanceof Headers ? headers.get(name) : ([headers[name.toLowerCase()]].flat()[0] ?? null))
  let url: string | null = null
  if (status === 200) url = (JSON.parse(body) as {url?: string}).url ?? null
  return {status, url, credentialOrigin: credentialOriginOf(header(VISITOR_CREDENTIAL_HEADER))}
}

/** Where the hosted page at `url` sends the user once they choose an outcome: its 303's `Location`. */
async function returnedTo(url: string): Promise<string | null> {
  assert.equal((await fetch(url)).status, 200)
  const chosen = await fetch(url, {method: 'POST', body: new URLSearchParams({outcome: 'verified'}), redirect: 'manual'})
  assert.equal(chosen.status, 303)
  return chosen.headers.get('location')
}

/**
 * What `answers` gave away to another host: each hosted page returning outside `ownOrigin` (followed
 * to its redirect) and each credential for a page outside it, one line per leak.
 */
async function leaksOf(answers: ReadonlyMap<string, Answer>, ownOrigin: string): Promise<string[]> {
  const leaks: string[] = []
  for (const [name, answer] of answers) {
    if (answer.url) leaks.push(`${name}: a return URL, redirecting to ${await returnedTo(answer.url)}`)
    if (answer.credentialOrigin && answer.credentialOrigin !== ownOrigin) leaks.push(`${name}: a visitor credential for ${answer.credentialOrigin}`)
  }
  return leaks
}

describe('a request naming another host, through the app', () => {
  const suite = emulatorSuite()
  const own = 'http://localhost'
  let app: ReturnType<typeof siteApp>

  before(() => {
    const config = readConfig({PUBLIC_URL: own}, () => WEBHOOK_SECRET)
    const visitor = visitorIdentity({secret: VISITOR_SECRET, publicUrl: own})
    app = siteApp({config, stripe: stripeClient(suite.emulator.url), visitor, store: testStore(), logger: testLogger, pages: true})
    app.get('/page', (c) => c.html('<!doctype html><title>a page</title>'))
  })

  /** A visitor cookie from a page of the server's own. */
  async function cookie(): Promise<string> {
    const page = await app.request(`${own}/page`)
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!
    assert.match(cookie, /^identity_verify_visitor=/)
    return cookie
  }

  // app.request builds the request as Node's server does from what the client sent: the URL from
  // `Host` or an absolute-form target, the headers as they came.
  const spoofs: Spoof[] = [
    {name: 'Host: evil.example', url: 'http://evil.example', headers: {host: 'evil.example'}, foreignOrigin: 'http://evil.example'},
    {name: 'Host: evil.example:8443', url: 'http://evil.example:8443', headers: {host: 'evil.example:8443'}, foreignOrigin: 'http://evil.example:8443'},
    {name: 'https://evil.example as the target', url: 'https://evil.example', headers: {}, foreignOrigin: 'https://evil.example'},
    {
      name: 'X-Forwarded-Host: evil.example, X-Forwarded-Proto: https',
      url: own,
      headers: {'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https'},
      foreignOrigin: 'https://evil.example',
    },
  ]

  it('answers no return URL and no credential to any of them, with or without a matching Origin', async () => {
    const answers = new Map<string, Answer>()
    for (const spoof of spoofs) {
      for (const returnUrl of new Set([PHISH, `${spoof.foreignOrigin}/phish`])) {
        for (const withOrigin of [false, true]) {
          // A page on the other host has no cookie of this server's: its visitor is a new one.
          const headers = {...spoof.headers, [RETURN_URL_HEADER]: returnUrl, ...(withOrigin ? {origin: spoof.foreignOrigin} : {cookie: await cookie()})}
          const res = await app.request(`${spoof.url}${CREATE_SESSION_PATH}`, {method: 'POST', headers})
          answers.set(
            `${spoof.name}${withOrigin ? ` with Origin: ${spoof.foreignOrigin}` : ''}, returning to ${returnUrl}`,
            await answerOf(res.status, res.headers, await res.text()),
          )
        }
      }
    }
    assert.deepEqual(await leaksOf(answers, own), [])
    for (const [name, {status}] of answers) assert.ok(status === 400 || status === 403, `${name} answered ${status}`)
  })

  it('still answers the configured origin’s pages: a hosted page returning to them, a credential for them', async () => {
    const page = `${own}/onboarding?step=2`
    const sameOrigin = await app.request(`${own}${CREATE_SESSION_PATH}`, {method: 'POST', headers: {cookie: await cookie(), [RETURN_URL_HEADER]: page}})
    const {url} = await answerOf(sameOrigin.status, sameOrigin.headers, await sameOrigin.text())
    assert.ok(url, `answered ${sameOrigin.status}`)
    assert.equal(await returnedTo(url), page)
    const fromPage = await app.request(`${own}${CREATE_SESSION_PATH}`, {method: 'POST', headers: {origin: own, [RETURN_URL_HEADER]: page}})
    const answer = await answerOf(fromPage.status, fromPage.headers, await fromPage.text())
    assert.equal(answer.credentialOrigin, own)
    assert.equal(await returnedTo(answer.url!), page)
  })
})

describe('a request naming another host, through npm start', () => {
  let server: StandaloneServer

  before(async () => {
    server = await startStandaloneServer({databasePath: join(scratchDir('identity-verify-spoofing-'), 'store.sqlite')})
  })
  after(() => server?.stop())

  /** A request to the listening server as a client writes it: `path` may be absolute-form, `Host` anything. */
  function send(path: string, headers: Record<string, string>, method = 'POST'): Promise<Answer & {cookie: string | null}> {
    return new Promise((resolve, reject) => {
      const sent = request({host: '127.0.0.1', port: server.port, method, path, headers: {host: `localhost:${server.port}`, ...headers}}, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        res.on('end', () => {
          const cookie = res.headers['set-cookie']?.[0]?.split(';')[0] ?? null
          answerOf(res.statusCode ?? 0, res.headers, method === 'POST' ? body : '{}').then((answer) => resolve({...answer, cookie}), reject)
        })
      })
      sent.on('error', reject).end()
    })
  }

  async function cookie(): Promise<string> {
    const {cookie} = await send('/', {}, 'GET')
    assert.ok(cookie)
    return cookie
  }

  const spoofs: {name: string; path: string; headers: Record<string, string>; foreignOrigin: string}[] = [
    {name: 'Host: evil.example', path: CREATE_SESSION_PATH, headers: {host: 'evil.example'}, foreignOrigin: 'http://evil.example'},
    {name: 'Host: evil.example:8443', path: CREATE_SESSION_PATH, headers: {host: 'evil.example:8443'}, foreignOrigin: 'http://evil.example:8443'},
    {name: 'POST http://evil.example/…', path: `http://evil.example${CREATE_SESSION_PATH}`, headers: {}, foreignOrigin: 'http://evil.example'},
    {name: 'X-Forwarded-Host: evil.example', path: CREATE_SESSION_PATH, headers: {'x-forwarded-host': 'evil.example'}, foreignOrigin: 'http://evil.example'},
    {
      name: 'X-Forwarded-Host: evil.example, X-Forwarded-Proto: https',
      path: CREATE_SESSION_PATH,
      headers: {'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https'},
      foreignOrigin: 'https://evil.example',
    },
  ]

  it('answers no return URL and no credential to any of them, with or without a matching Origin', async () => {
    const answers = new Map<string, Answer>()
    for (const spoof of spoofs) {
      for (const returnUrl of new Set([PHISH, `${spoof.foreignOrigin}/phish`])) {
        for (const withOrigin of [false, true]) {
          const headers = {...spoof.headers, [RETURN_URL_HEADER]: returnUrl, ...(withOrigin ? {origin: spoof.foreignOrigin} : {cookie: await cookie()})}
          answers.set(`${spoof.name}${withOrigin ? ` with Origin: ${spoof.foreignOrigin}` : ''}, returning to ${returnUrl}`, await send(spoof.path, headers))
        }
      }
    }
    assert.deepEqual(await leaksOf(answers, server.url), [])
    for (const [name, {status}] of answers) assert.ok(status === 400 || status === 403, `${name} answered ${status}`)
  })

  it('still answers its own pages: a hosted page returning to them, a credential for them', async () => {
    const page = `${server.url}/confirmation`
    const sameOrigin = await send(CREATE_SESSION_PATH, {cookie: await cookie(), [RETURN_URL_HEADER]: page})
    assert.equal(sameOrigin.status, 200)
    assert.equal(await returnedTo(sameOrigin.url!), page)
    const fromPage = await send(CREATE_SESSION_PATH, {origin: server.url, [RETURN_URL_HEADER]: page})
    assert.equal(fromPage.status, 200)
    assert.equal(fromPage.credentialOrigin, server.url)
    assert.equal(await returnedTo(fromPage.url!), page)
  })
})
