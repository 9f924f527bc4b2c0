/**
 * A store answering its calls over HTTP, so that the store contract suite, run by Node's test runner,
 * checks a store that lives in another runtime (Bun's, Deno's, a Worker's): a plain `fetch` handler,
 * which any of them serves. `POST /open` `{"name"?}` opens a store (an empty one, or the one named
 * `name` again with its data) and answers `{"store": <id>}`; `POST /call` `{"store", "method", "args"}`
 * answers `{"result"}` or `{"error": {"name", "message", "code"?}}`. `GET /` answers 200 once ready.
 */
import {STORE_METHODS, type VerificationStore} from '../server/store/store.js'

/** The store's calls that the host forwards, by name. */
export type StoreMethod = keyof VerificationStore

/** A call as the host receives it. */
interface StoreCall {
  store: number
  method: StoreMethod
  args: unknown[]
}

/** The answer to a call that threw: the error's name, message and code, as the proxy throws it again. */
function describeError(error: unknown): {name: string; message: string; code?: string} {
  if (!(error instanceof Error)) return {name: 'Error', message: String(error)}
  const {code} = error as {code?: unknown}
  return {name: error.name, message: error.message, ...(typeof code === 'string' ? {code} : {})}
}

/** The host's handler over the stores `openStore` opens. */
export function storeHost(openStore: (name?: string) => Promise<VerificationStore>): (request: Request) => Promise<Response> {
  const stores = new Map<number, VerificationStore>()
  let nextId = 0
  return async (request) => {
    const {pathname} = new URL(request.url)
    if (request.method === 'GET' && pathname === '/') return Response.json({ready: true})
    if (request.method !== 'POST') return Response.json({error: {message: 'Not found'}}, {status: 404})
    try {
      if (pathname === '/open') {
        const {name} = (await request.json()) as {name?: string}
        const id = nextId++
        stores.set(id, await openStore(name))
        return Response.json({store: id})
      }
      const {store, method, args} = (await request.json()) as StoreCall
      const target = stores.get(store)
      if (!target) return Response.json({error: {name: 'Error', message: `No store ${store}`}}, {status: 404})
      const call = target[method] as (...args: unknown[]) => unknown
      const result = await call.apply(target, args)
      return Response.json({result: result ?? null})
    } catch (error) {
      return Response.json({error: describeError(error)})
    }
  }
}

/** A store whose every call is answered by the host at `url`: the store it opened there. */
export async function storeProxy(url: string, name?: string): Promise<VerificationStore> {
  const post = async (path: string, body: unknown) => {
    const answer = await fetch(`${url}${path}`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)})
    const reply = (await answer.json()) as {store?: number; result?: unknown; error?: {name: string; message: string; code?: string}}
    if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error)
    return reply
  }
  const {store} = await post('/open', {name})
  const call =
    (method: StoreMethod) =>
    async (...args: unknown[]) =>
      (await post('/call', {store, method, args})).result
  return Object.fromEntries(STORE_METHODS.map((method) => [method, call(method)])) as unknown as VerificationStore
}
