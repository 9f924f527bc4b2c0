/**
 * The part of Cloudflare's runtime API the Durable Object store uses (`@cloudflare/workers-types`
 * is not installed), declared as runtimes/bun.ts declares Bun's.
 */
declare module 'cloudflare:workers' {
  import type {DurableObjectSqlStorage} from '../../server/store/sqlite/drivers/durable-object.js'

  /** An object's state: its SQLite storage. */
  export interface DurableObjectState {
    readonly storage: DurableObjectSqlStorage
  }

  /** The base class of a Durable Object whose public methods are called over JS RPC. */
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState
    protected readonly env: Env
    constructor(ctx: DurableObjectState, env: Env)
  }

  /** A call of an object's method over JS RPC: the same arguments, the answer always later. */
  export type DurableObjectStub<T> = {
    [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never
  }

  /** A Durable Object binding: an object by name, created on its first call. */
  export interface DurableObjectNamespace<T> {
    idFromName(name: string): DurableObjectId
    get(id: DurableObjectId): DurableObjectStub<T>
  }

  /** An object's id. */
  export interface DurableObjectId {
    toString(): string
  }
}
