/**
 * A test Worker answering the SQLite store's calls over HTTP, each store a Durable Object of its own
 * running the store on the Durable Object driver: `POST /<store>/<method>` with the arguments as a
 * JSON array answers `{"value": …}`, or 500 `{"error": "…"}` when the call threw. The store contract
 * suite runs against it through `remoteStore` (harness/remote-store.ts).
 */
import {DurableObject, type DurableObjectNamespace, type DurableObjectState} from 'cloudflare:workers'
import {openDriverConnection, type SqliteConnection} from '../../../server/store/sqlite/connection.js'
import {durableObjectDriver} from '../../../server/store/sqlite/drivers/durable-object.js'

/** One store over its object's own SQLite database, as the Worker's `VerificationObject` opens it. */
export class ContractStore extends DurableObject {
  readonly #store: SqliteConnection

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.#store = openDriverConnection(durableObjectDriver(ctx.storage), {eventCommits: 'each'})
  }

  /** Calls the store's `method` with `args`. */
  async call(method: string, args: unknown[]): Promise<unknown> {
    const call = this.#store[method as keyof SqliteConnection] as (...args: unknown[]) => unknown
    return (await call(...args)) ?? null
  }
}

export default {
  async fetch(request: Request, env: {STORES: DurableObjectNamespace<ContractStore>}): Promise<Response> {
    const [, name, method] = new URL(request.url).pathname.split('/')
    const stub = env.STORES.get(env.STORES.idFromName(name!))
    try {
      return Response.json({value: await stub.call(method!, (await request.json()) as unknown[])})
    } catch (error) {
      return Response.json({error: String(error)}, {status: 500})
    }
  },
}
