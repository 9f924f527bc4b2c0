/**
 * The verification server for every runtime (Node, Bun, Deno, Cloudflare Workers): `createApp`, the
 * anonymous visitor identity, the stripe-node client and the logger, and the rules every store shares,
 * with web standards only; nothing here loads SQLite or Node's HTTP server. `identity-verify/server`
 * is this and the Node-only parts (the SQLite store, Node's server time-outs); the PostgreSQL store is
 * `identity-verify/server/postgres`.
 */
export {createApp} from './app.js'
export type {VerificationAppDeps, VerificationHooks, VerificationLimits, VerificationSessionOptions} from './routes/deps.js'
export {EVENT_RETENTION_MS} from './store/store.js'
export {readAnsweringSession} from './store/store.js'
export type {Awaitable, VerificationStore} from './store/store.js'
export type {NewVerificationSession, RecordOutcome, VerificationEventRecord, VerificationRecord} from './rules/records.js'
export {planEvent} from './rules/event-rules.js'
export type {EventPlan, PlannedSession, StoredSession} from './rules/event-rules.js'
export {answeringSession, planCreate} from './rules/answering-session.js'
export type {CreatePlan, CreateRuleSession, UserSessions} from './rules/answering-session.js'
export {addressGroup} from './rules/address-group.js'
export type {RateLimit} from './routes/rate-limit.js'
export {visitorIdentity} from './visitor/identity.js'
export type {VisitorIdentity, VisitorIdentityOptions} from './visitor/identity.js'
export {createStripeClient} from './stripe/client.js'
export type {StripeClientOptions} from './stripe/client.js'
export {createLogger, silentLogger} from './log/logger.js'
export type {Logger, LogSink} from './log/logger.js'
export {VERIFICATION_STATUSES, VERIFICATION_EVENT_TYPES} from '../protocol/verification-status.js'
export type {VerificationStatus} from '../protocol/verification-status.js'
export {SESSION_CONFLICT_CODES} from '../protocol/wire.js'
export type {SessionConflictAnswer, SessionConflictCode, SessionStatusAnswer} from '../protocol/wire.js'
