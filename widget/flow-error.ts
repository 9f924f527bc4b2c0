import type {ErrorCode} from './events.js'

/** Why a flow stopped, with the `identity-verify-error` code that reports it. */
export class FlowError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code)
  }
}
