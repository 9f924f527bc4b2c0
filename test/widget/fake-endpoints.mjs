// The server side of the element's tests: a session endpoint and a status endpoint whose answers each
// test picks in the query string, plus a log of what they received. Each test names its own `as`, so
// tests never read each other's requests.
//
//   POST /fake/session?as=NAME[&status=409[&code=already_verified][&session=verified]][&delay=MS][&drop=1][&secret=none][&html=1][&visitor=V][&hosted=URL][&stripe_js=URL]
//        200 {"client_secret": "vs_NAME_secret_…"} (with `stripe_js`, also {"stripe_js": URL}, as a server on the emulator answers), or the status asked for (`{"error": {"message", "code"?}}`,
//        with `session`, also `"session": {"id": "vs_NAME", "status", "last_error": null}`, as the
//        server's 409 when the user is verified or being checked already; or an HTML page with `html`);
//        `drop` cuts the connection. Asked for the hosted flow (an Identity-Verify-Return-Url header),
//        200 {"url": "https://verify.example/start/test_NAME"} (with `hosted`, {"url": URL}) instead of the client secret.
//        With `visitor`, a request that carries no Identity-Verify-Visitor credential is given V in that header, as the server mints one.
//   GET  /fake/status?as=NAME&answers=processing,404,page404,requires_input:document_expired,…[&returning=1][&visitor=V][&renew=W]
//        Like the server, 204 (nothing to show) until NAME has a session (`returning`: from the start);
//        then one answer per request, in order, the last one repeated:
//        {"id": "vs_NAME", "status", "last_error"}, a status's JSON error, or `page404`, an HTML 404.
//        With `visitor`, 401 unless the request carries credential V (or W); `renew` hands out W.
//   GET  /fake/stripe.js?as=NAME
//        A stand-in for the emulator's Stripe.js double: defines `window.Stripe`, whose `verifyIdentity`
//        records the client secret in `window.emulatedStripe` and resolves as a submission. Counted in the log.
//   GET  /fake/hosted-page?as=NAME
//        A stand-in for Stripe's hosted page (put it on the other origin, as Stripe's is): it posts a message
//        to the page that opened it, if it can reach one, records whether it could, and closes.
//   GET  /fake/log?as=NAME
//        {"sessions": [{method, contentType, csrf, cookie, visitor, returnUrl, body, aborted}], "statusRequests": n, "statusVisitors": [...], "answered": n,
//         "hostedPages": [{opener}], "stripeJsLoads": n}
//
// A page on another origin (the test page asks http://127.0.0.1:<port> from http://localhost:<port>)
// gets CORS as the server answers it: the credential header exposed, preflights allowed.

import {randomBytes} from 'node:crypto'

/** The fake endpoints, as a @web/dev-server (Koa) middleware. */
export function fakeEndpoints() {
  const logs = new Map()
  const logOf = (name) => {
    if (!logs.has(name)) logs.set(name, {sessions: [], statusRequests: 0, statusVisitors: [], answered: 0, hostedPages: [], stripeJsLoads: 0})
    return logs.get(name)
  }

  return async function fakeEndpointsMiddleware(ctx, next) {
    if (!ctx.path.startsWith('/fake/')) return next()
    const query = Object.fromEntries(new URL(ctx.url, 'http://localhost').searchParams)
    const log = logOf(query.as ?? '')
    ctx.set('cache-control', 'no-store')
    const origin = ctx.get('origin')
    if (origin && origin !== `${ctx.protocol}://${ctx.host}`) {
      ctx.set('access-control-allow-origin', origin)
      ctx.set('access-control-expose-headers', VISITOR)
      ctx.set('vary', 'Origin')
      if (ctx.method === 'OPTIONS') {
        ctx.set('access-control-allow-methods', 'GET, POST')
        ctx.set('access-control-allow-headers', ctx.get('access-control-request-headers'))
        ctx.status = 204
        return
      }
    }
    const visitor = ctx.get(VISITOR)

    if (ctx.path === '/fake/session' && ctx.method === 'POST') {
      const entry = {
        method: ctx.method,
        contentType: ctx.get('content-type'),
        csrf: ctx.get('x-csrf-token'),
        cookie: ctx.get('cookie'),
        visitor,
        returnUrl: ctx.get(RETURN_URL),
        intent: ctx.get('identity-verify-intent'),
        body: await readBody(ctx.req),
        aborted: false,
      }
      log.sessions.push(entry)
      if (query.drop) return hangUp(ctx)
      // The browser cancelling the request closes the response before it is written.
      const closed = new Promise((resolve) => ctx.res.once('close', resolve))
      const delay = Number(query.delay ?? 0)
      const slept = new Promise((resolve) => setTimeout(() => resolve('slept'), delay))
      if ((await Promise.race([slept, closed])) !== 'slept') {
        entry.aborted = true
        return hangUp(ctx)
      }
      const status = Number(query.status ?? 200)
      ctx.status = status
      if (query.visitor && !visitor) ctx.set(VISITOR, query.visitor)
      if (query.html) {
        ctx.type = 'text/html'
        ctx.body = NOT_THE_SERVER
        return
      }
      ctx.type = 'application/json'
      ctx.body =
        status !== 200
          ? {
              ...errorAnswer(status, query.code),
              ...(query.session && {session: {id: `vs_${query.as}`, status: query.session, last_error: null}}),
            }
          : query.secret === 'none'
            ? {}
            : entry.returnUrl
              ? {url: query.hosted ?? `https://verify.example/start/test_${query.as}`}
              : {client_secret: `vs_${query.as}_secret_${randomBytes(12).toString('hex')}`, ...(query.stripe_js && {stripe_js: query.stripe_js})}
      return
    }

    if (ctx.path === '/fake/status' && ctx.method === 'GET') {
      log.statusRequests++
      log.statusVisitors.push(visitor)
      ctx.type = 'application/json'
      if (query.visitor && visitor !== query.visitor && visitor !== query.renew) {
        ctx.status = 401
        ctx.body = errorAnswer(401)
        return
      }
      if (query.renew && visitor !== query.renew) ctx.set(VISITOR, query.renew)
      if (!query.returning && log.sessions.length === 0) {
        ctx.status = 204
        ctx.body = null
        return
      }
      const answers = (query.answers ?? 'processing').split(',')
      const answer = answers[Math.min(log.answered++, answers.length - 1)]
      if (answer === 'page404') {
        ctx.status = 404
        ctx.type = 'text/html'
        ctx.body = NOT_THE_SERVER
        return
      }
      if (/^\d+$/.test(answer)) {
        ctx.status = Number(answer)
        ctx.body = errorAnswer(ctx.status)
        return
      }
      const [status, code] = answer.split(':')
      ctx.body = {id: query.id ?? `vs_${query.as}`, status, last_error: code ? {code} : null}
      return
    }

    if (ctx.path === '/fake/stripe.js') {
      log.stripeJsLoads++
      ctx.type = 'text/javascript'
      ctx.body = EMULATED_STRIPE_JS
      return
    }

    if (ctx.path === '/fake/hosted-page') {
      if (ctx.method === 'POST') {
        log.hostedPages.push(JSON.parse(await readBody(ctx.req)))
        ctx.status = 204
        return
      }
      ctx.type = 'text/html'
      ctx.body = HOSTED_PAGE
      return
    }

    if (ctx.path === '/fake/log') {
      ctx.type = 'application/json'
      ctx.body = log
      return
    }
    return next()
  }
}

const VISITOR = 'identity-verify-visitor'
const RETURN_URL = 'identity-verify-return-url'

// What a URL that is not the server's answers: some site's page.
const NOT_THE_SERVER = '<!doctype html><title>Shop</title><h1>Welcome to the shop</h1>'

// The stand-in for Stripe's hosted page: what a page in the tab the element opens can do with the page
// that opened it, were that one reachable.
const HOSTED_PAGE = `<!doctype html><title>Verify your identity</title><script>
  const openedBy = window.opener
  openedBy?.postMessage('the hosted page reached its opener', '*')
  fetch(location.href, {method: 'POST', body: JSON.stringify({opener: openedBy !== null})}).finally(() => close())
</script>`

// What the emulator's Stripe.js double does, as far as the element sees it.
const EMULATED_STRIPE_JS = `(function () {
  function Stripe(key) {
    if (!(this instanceof Stripe)) return new Stripe(key)
    window.emulatedStripe.keys.push(key)
  }
  Stripe.version = 'endive'
  Stripe.prototype.verifyIdentity = function (secret) {
    window.emulatedStripe.secrets.push(secret)
    return Promise.resolve({verificationSession: {id: secret.split('_secret_')[0], status: 'processing'}})
  }
  window.emulatedStripe = window.emulatedStripe || {keys: [], secrets: []}
  window.Stripe = Stripe
})()`

const errorAnswer = (status, code) => ({error: {message: `fake ${status}`, ...(code && {code})}})

// Ends the exchange without an answer (a status other than 404 keeps the runner from listing it as missing).
function hangUp(ctx) {
  ctx.status = 204
  ctx.respond = false
  ctx.req.socket.destroy()
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
