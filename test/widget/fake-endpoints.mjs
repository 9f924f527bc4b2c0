// The server side of the element's tests: a session endpoint and a status endpoint whose answers each
// test picks in the query string, plus a log of what they received. Each test names its own `as`, so
// tests never read each other's requests.
//
//   POST /fake/session?as=NAME[&status=403][&delay=MS][&drop=1][&secret=none]
//        200 {"client_secret": "vs_NAME_secret_…"}, or the status asked for; `drop` cuts the connection.
//   GET  /fake/status?as=NAME&answers=processing,404,requires_input:document_expired,…
//        one answer per request, in order, the last one repeated: {"id": "vs_NAME", "status", "last_error"}.
//   GET  /fake/log?as=NAME
//        {"sessions": [{method, contentType, csrf, cookie, body, aborted}], "statusRequests": n}

import {randomBytes} from 'node:crypto'

/** The fake endpoints, as a @web/dev-server (Koa) middleware. */
export function fakeEndpoints() {
  const logs = new Map()
  const logOf = (name) => {
    if (!logs.has(name)) logs.set(name, {sessions: [], statusRequests: 0})
    return logs.get(name)
  }

  return async function fakeEndpointsMiddleware(ctx, next) {
    if (!ctx.path.startsWith('/fake/')) return next()
    const query = Object.fromEntries(new URL(ctx.url, 'http://localhost').searchParams)
    const log = logOf(query.as ?? '')
    ctx.set('cache-control', 'no-store')

    if (ctx.path === '/fake/session' && ctx.method === 'POST') {
      const entry = {
        method: ctx.method,
        contentType: ctx.get('content-type'),
        csrf: ctx.get('x-csrf-token'),
        cookie: ctx.get('cookie'),
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
      ctx.type = 'application/json'
      ctx.body =
        status !== 200
          ? {error: {message: `fake ${status}`}}
          : query.secret === 'none'
            ? {}
            : {client_secret: `vs_${query.as}_secret_${randomBytes(12).toString('hex')}`}
      return
    }

    if (ctx.path === '/fake/status' && ctx.method === 'GET') {
      const answers = (query.answers ?? 'processing').split(',')
      const answer = answers[Math.min(log.statusRequests, answers.length - 1)]
      log.statusRequests++
      ctx.type = 'application/json'
      if (/^\d+$/.test(answer)) {
        ctx.status = Number(answer)
        ctx.body = {error: {message: `fake ${answer}`}}
        return
      }
      const [status, code] = answer.split(':')
      ctx.body = {id: query.id ?? `vs_${query.as}`, status, last_error: code ? {code} : null}
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
