/**
 * The store host (harness/store-host.ts) as a Worker: each store a Durable Object of its own, running
 * the SQLite store on the Durable Object driver as the Worker's `VerificationObject` does. The store
 * contract suite calls it through `storeProxy`.
 */
import {DurableObject, type DurableObjectNamespace, type DurableObjectState} from 'cloudflare:workers'
import type {VerificationStore} from '../../../server/store/store.js'
import {openDriverConnection, type SqliteConnection} from '../../../server/store/sqlite/connection.js'
import {durableObjectDriver} from '../../../server/store/sqlite/drivers/durable-object.js'
import {storeHost, type StoreMethod} from '../../../harness/store-host.js'

/** One store over its object's own SQLite database, opened as the Worker's `VerificationObject` opens it. */
export class ContractStore extends DurableObject {
  readonly #store: SqliteConnection

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.#store = openDriverConnection(durableObjectDriver(ctx.storage), {eventCommits: 'each'})
  }

  /** Calls the store's `method` with `args`. */
  async call(method: Exclude<StoreMethod, 'close'>, args: unknown[]): Promise<unknown> {
    const call = this.#store[method] as (...args: unknown[]) => unknown
    return (await call(...args)) ?? null
  }
}

/**
 * The store of object `name`: each call reaches it through a stub of its own (a stub serves only the
 * request that made it); closing it leaves the object as it is, to be opened again with its data.
 */
function objectStore(stores: DurableObjectNamespace<ContractStore>, name: string): VerificationStore {
  const call =
    (method: Exclude<StoreMethod, 'close'>) =>
    (...args: unknown[]) =>
      stores.get(stores.idFromName(name)).call(method, args)
  return new Proxy({} as VerificationStore, {
    // No `then`: the host awaits the store it opened, which must not look like a promise.
    get: (_, method: StoreMethod | 'then') => (method === 'then' ? undefined : method === 'close' ? () => {} : call(method)),
  })
}

let handler: ((request: Request) => Promise<Response>) | null = null

export default {
  fetch(request: Request, env: {STORES: DurableObjectNamespace<ContractStore>}): Promise<Response> {
    handler ??= storeHost(async (name) => objectStore(env.STORES, name ?? crypto.randomUUID()))
    return handler(request)
  },
}
