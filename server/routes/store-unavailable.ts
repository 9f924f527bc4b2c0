import {ApiError} from '../http/api-error.js'
import type {Logger} from '../log/logger.js'
import type {VerificationStore} from '../store/store.js'

/** How long a caller should wait before trying again while the store fails, in seconds. */
export const STORE_RETRY_AFTER_SECONDS = 5

/**
 * The store, each of whose failures (the database is down, slow past its time-outs, or refused the
 * write) becomes a 503 answer with `Retry-After`: the browser may try again shortly, and the store
 * answers again by itself once the database is back.
 */
export function answeringUnavailable(store: VerificationStore, logger: Logger): VerificationStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver)
      if (typeof value !== 'function' || name === 'close') return value
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args)
        } catch (error) {
          logger.error('the store failed', {method: String(name), error})
          throw new ApiError(503, 'Verification is unavailable for a moment, try again shortly', 'store_unavailable', {
            'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
          })
        }
      }
    },
  })
}
