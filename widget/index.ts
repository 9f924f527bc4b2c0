/** The npm entry: everything public, with `<identity-verify>` registered on import. */
import './identity-verify-define.js'

export * from './identity-verify.js'
export * from './status-follower.js'
export type {Messages} from './messages.js'
