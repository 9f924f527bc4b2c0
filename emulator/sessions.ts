import type Stripe from 'stripe'
import {
  canTransition,
  CANCELABLE_STATUSES,
  REDACTABLE_STATUSES,
  VERIFICATION_EVENT_TYPES,
  eventTypeForStatus,
  type VerificationEventType,
  type VerificationStatus,
} from '../protocol/verification-status.js'
import {clientSecretOf} from '../protocol/wire.js'
import {stripeId} from './ids.js'
import {redactSession} from './redaction.js'
import {buildReport, TEST_ADDRESS, TEST_ID_NUMBER, TEST_PERSON, type CheckResult, type ReportStore} from './reports.js'
import {eventView} from './session-view.js'
import {invalidRequest, resourceMissing} from './stripe-error.js'
import type {ProvidedDetailsParams, SessionParams} from './session-params.js'
import {failedCheck, MODAL_ERRORS, type Outcome} from './test-cases.js'

type VerificationSession = Stripe.Identity.VerificationSession

/** The request that caused an event, as Stripe records it on the event. */
export interface EventRequest {
  id: string | null
  idempotency_key: string | null
}

/** Called for every change, in order: the event log records it and queues its delivery. */
export type EmitEvent = (type: VerificationEventType, session: VerificationSession, request: EventRequest) => void

/** The error half of what Stripe.js resolves `verifyIdentity` with. */
export type VerifyIdentityError = {error: {type: 'invalid_request_error'; code: string; message: string}}

/** What Stripe.js resolves `verifyIdentity` with. */
export type VerifyIdentityResult = {verificationSession: {id: string}} | VerifyIdentityError

interface SessionRecord {
  session: VerificationSession
  /** Client secrets issued and not yet used; all of them expire when the session leaves requires_input. */
  liveSecrets: Set<string>
  returnUrl?: string
}

const NO_REQUEST: EventRequest = {id: null, idempotency_key: null}

/**
 * What Stripe's test mode verifies: the test person of the reports, with the ID number when the
 * session checked one. Stripe's test document states no sex or place of birth.
 */
function testVerifiedOutputs(session: VerificationSession): Stripe.Identity.VerificationSession.VerifiedOutputs {
  const checkedIdNumber = session.type === 'id_number' || Boolean(session.options?.document?.require_id_number)
  return {
    first_name: TEST_PERSON.first_name,
    last_name: TEST_PERSON.last_name,
    address: session.type === 'id_number' ? null : structuredClone(TEST_ADDRESS),
    dob: structuredClone(TEST_PERSON.dob),
    email: null,
    phone: null,
    id_number: checkedIdNumber ? TEST_ID_NUMBER : null,
    id_number_type: checkedIdNumber ? 'us_ssn' : null,
    sex: null,
    unparsed_place_of_birth: null,
    unparsed_sex: null,
  }
}

/** The in-memory VerificationSessions, changed only along the shared state machine. */
export class SessionStore {
  readonly #records = new Map<string, SessionRecord>()
  /** Newest last; lists read it backwards. */
  readonly #order: string[] = []
  readonly #bySecret = new Map<string, string>()
  readonly #timers = new Set<NodeJS.Timeout>()

  constructor(
    private readonly options: {
      emit: EmitEvent
      /** Where each submission's VerificationReport goes. */
      reports: ReportStore
      /** Called when a session is redacted, so its earlier events lose their personal data too. */
      onRedact?: (sessionId: string) => void
      processingDelayMs: number
      redactionDelayMs?: number
      /** The hosted verification page of a new session, which returns to its `return_url`. */
      hostedUrl?: (id: string, returnUrl?: string) => string
    },
  ) {}

  /** Creates a session in `requires_input` and emits `created`; the answer carries a client secret. */
  create(params: SessionParams, request: EventRequest = NO_REQUEST): VerificationSession {
    const id = stripeId('vs')
    const metadata: Record<string, string> = {}
    for (const [key, value] of Object.entries(params.metadata ?? {})) if (value !== null) metadata[key] = value
    const session: VerificationSession = {
      id,
      object: 'identity.verification_session',
      client_reference_id: params.client_reference_id ?? null,
      client_secret: null,
      created: Math.floor(Date.now() / 1000),
      last_error: null,
      last_verification_report: null,
      livemode: false,
      metadata,
      options: params.type === 'id_number' ? {id_number: {}} : {document: {}, ...params.options},
      provided_details: mergeProvidedDetails(null, params.provided_details),
      redaction: null,
      related_customer: params.related_customer ?? null,
      related_customer_account: params.related_customer_account ?? null,
      status: 'requires_input',
      type: params.type ?? 'document',
      url: this.options.hostedUrl?.(id, params.return_url) ?? null,
      verified_outputs: null,
    }
    this.#records.set(id, {session, liveSecrets: new Set(), returnUrl: params.return_url})
    this.#order.push(id)
    this.options.emit(VERIFICATION_EVENT_TYPES.created, eventView(session), request)
    return this.#withFreshSecret(id)
  }

  /**
   * The session as retrieve (and each item of a list) answers it: a `requires_input` session carries a
   * fresh client secret each time, and its URL; fields Stripe includes only when expanded are still in
   * it (see session-view.ts).
   */
  retrieve(id: string): VerificationSession {
    this.#record(id)
    return this.#withFreshSecret(id)
  }

  /** The session without a client secret, for the dashboard and the hosted page. */
  peek(id: string): VerificationSession {
    return snapshot(this.#record(id).session)
  }

  /** Whether a session exists. */
  has(id: string): boolean {
    return this.#records.has(id)
  }

  /** Sessions newest first, without client secrets, filtered as `GET /v1/identity/verification_sessions` filters them. */
  list(filter: Partial<Record<'status' | 'client_reference_id' | 'related_customer' | 'related_customer_account', string>> = {}): VerificationSession[] {
    const out: VerificationSession[] = []
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const {session} = this.#records.get(this.#order[i])!
      const matches = Object.entries(filter).every(([key, value]) => value === undefined || session[key as keyof typeof filter] === value)
      if (matches) out.push(snapshot(session))
    }
    return out
  }

  /** Updates metadata, and the type, options or provided details of a `requires_input` session, as Stripe allows. */
  update(id: string, params: SessionParams): VerificationSession {
    const record = this.#record(id)
    const {session} = record
    if (session.redaction) throw invalidRequest('This VerificationSession has been redacted and can no longer be updated.')
    if (session.status !== 'requires_input' && (params.type || params.options || params.provided_details !== undefined)) {
      throw invalidRequest(`You can only update the type, options or provided_details of a VerificationSession with status requires_input; this one is ${session.status}.`)
    }
    if (params.provided_details !== undefined) session.provided_details = mergeProvidedDetails(session.provided_details ?? null, params.provided_details)
    if (params.type) session.type = params.type
    if (params.options) session.options = session.type === 'id_number' ? {id_number: {}} : {document: {}, ...params.options}
    if (params.metadata) {
      const metadata = Object.keys(params.metadata).length === 0 ? {} : {...session.metadata}
      for (const [key, value] of Object.entries(params.metadata)) {
        if (value === null) delete metadata[key]
        else metadata[key] = value
      }
      session.metadata = metadata
    }
    return this.#withFreshSecret(id)
  }

  /** Cancels a `requires_input` session; any other status is refused with Stripe's 400. */
  cancel(id: string, request: EventRequest = NO_REQUEST): VerificationSession {
    const {session} = this.#record(id)
    if (!CANCELABLE_STATUSES.has(session.status as VerificationStatus)) {
      throw invalidRequest(
        `This VerificationSession cannot be canceled because it has a status of ${session.status}. Only a VerificationSession with status requires_input can be canceled.`,
      )
    }
    this.#move(id, 'canceled', request)
    return this.peek(id)
  }

  /**
   * Redacts a `requires_input` or `verified` session. As Stripe does, redacting a `requires_input`
   * session cancels it first. Personal data and metadata are erased at once from the session, its
   * reports and its earlier events (see redaction.ts), and `redaction.status` moves from `processing`
   * to `redacted` shortly after, with the `redacted` event (Stripe takes up to four days).
   */
  redact(id: string, request: EventRequest = NO_REQUEST): VerificationSession {
    const record = this.#record(id)
    const {session} = record
    if (session.redaction) return this.peek(id)
    if (!REDACTABLE_STATUSES.has(session.status as VerificationStatus)) {
      throw invalidRequest(
        `This VerificationSession cannot be redacted because it has a status of ${session.status}. Only a VerificationSession with status requires_input or verified can be redacted.`,
      )
    }
    if (session.status === 'requires_input') this.#move(id, 'canceled', request)
    record.session = {...redactSession(session), redaction: {status: 'processing'}}
    this.options.reports.redactSession(id)
    this.options.onRedact?.(id)
    this.#later(this.options.redactionDelayMs ?? 50, () => {
      record.session.redaction = {status: 'redacted'}
      this.options.emit(VERIFICATION_EVENT_TYPES.redacted, eventView(record.session), NO_REQUEST)
    })
    return this.peek(id)
  }

  /**
   * Checks a client secret the modal received: it must have been issued, not used, and its
   * session must still be `requires_input`. Answers the session id, or the error Stripe.js resolves.
   */
  checkClientSecret(clientSecret: unknown): {id: string} | {error: VerifyIdentityError} {
    const id = typeof clientSecret === 'string' ? this.#bySecret.get(clientSecret) : undefined
    const record = id ? this.#records.get(id) : undefined
    if (!id || !record) {
      return {error: {error: {type: 'invalid_request_error', code: 'resource_missing', message: 'No such verification session: the client secret is invalid.'}}}
    }
    if (!record.liveSecrets.has(clientSecret as string)) {
      return {
        error: {
          error: {
            type: 'invalid_request_error',
            code: 'verification_session_unexpected_state',
            message: `This client secret was already used or has expired (the session is ${record.session.status}). Retrieve the VerificationSession for a fresh one.`,
          },
        },
      }
    }
    return {id}
  }

  /**
   * Plays a test case on a session, as the user would in the modal. With a client secret (the
   * modal), the secret must be live; without one (the submit route), the session must be
   * `requires_input`. Answers what Stripe.js resolves with.
   */
  submit(id: string, outcome: Outcome, clientSecret?: string): VerifyIdentityResult {
    const record = this.#record(id)
    if (clientSecret !== undefined) {
      const checked = this.checkClientSecret(clientSecret)
      if ('error' in checked) return checked.error
      if (checked.id !== id) return {error: {type: 'invalid_request_error', code: 'resource_missing', message: 'The client secret does not belong to this verification session.'}}
    } else if (record.session.status !== 'requires_input') {
      return {
        error: {
          type: 'invalid_request_error',
          code: 'verification_session_unexpected_state',
          message: `This VerificationSession cannot be submitted because it has a status of ${record.session.status}.`,
        },
      }
    }
    if (outcome === 'close') {
      return {error: {type: 'invalid_request_error', code: 'session_cancelled', message: 'The user closed the verification modal.'}}
    }
    if (clientSecret !== undefined) record.liveSecrets.delete(clientSecret)
    if (outcome in MODAL_ERRORS) {
      const failure = MODAL_ERRORS[outcome as keyof typeof MODAL_ERRORS]
      record.session.last_error = {code: failure.lastErrorCode, reason: failure.message}
      this.options.emit(VERIFICATION_EVENT_TYPES.requires_input, eventView(record.session), NO_REQUEST)
      return {error: {type: 'invalid_request_error', code: failure.modalCode, message: failure.message}}
    }
    this.#move(id, 'processing')
    if (outcome === 'verified') this.#move(id, 'verified')
    else if (outcome === 'processing') this.#later(this.options.processingDelayMs, () => this.#move(id, 'verified'))
    else this.#move(id, 'requires_input', NO_REQUEST, failedCheck(outcome, record.session.type))
    return {verificationSession: {id}}
  }

  /** Cancels pending timers (processing, redaction). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
  }

  #record(id: string): SessionRecord {
    const record = this.#records.get(id)
    if (!record) throw resourceMissing('verification session', id)
    return record
  }

  #withFreshSecret(id: string): VerificationSession {
    const record = this.#record(id)
    const view = snapshot(record.session)
    if (record.session.status === 'requires_input') {
      const secret = clientSecretOf(id, `test_${stripeId('x', 24).slice(2)}`)
      record.liveSecrets.add(secret)
      this.#bySecret.set(secret, id)
      view.client_secret = secret
    }
    return view
  }

  #move(id: string, to: VerificationStatus, request: EventRequest = NO_REQUEST, lastError?: {code: string; reason: string}): void {
    const record = this.#record(id)
    const from = record.session.status as VerificationStatus
    if (!canTransition(from, to)) throw invalidRequest(`A VerificationSession cannot move from ${from} to ${to}.`)
    record.session.status = to
    // Leaving requires_input expires every client secret and the URL issued so far; a retry needs fresh ones.
    if (from === 'requires_input') {
      record.liveSecrets.clear()
      record.session.url = null
    } else if (to === 'requires_input') record.session.url = this.options.hostedUrl?.(id, record.returnUrl) ?? null
    if (to === 'processing') record.session.last_error = null
    if (to === 'requires_input') record.session.last_error = lastError ?? null
    if (to === 'verified') record.session.verified_outputs = testVerifiedOutputs(record.session)
    // A submission's checks are over: its report is what the session's last_verification_report names.
    const result: CheckResult | null = to === 'verified' ? {verified: true} : to === 'requires_input' && lastError ? {verified: false, ...lastError} : null
    if (result) record.session.last_verification_report = this.options.reports.add(buildReport(record.session, result))
    this.options.emit(eventTypeForStatus(to), eventView(record.session), request)
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      run()
    }, ms)
    this.#timers.add(timer)
  }
}

/** Provided details after a create or update: given keys replace, `''` removes a key, an empty value removes them all. */
function mergeProvidedDetails(
  current: Stripe.Identity.VerificationSession.ProvidedDetails | null,
  change: ProvidedDetailsParams | undefined,
): Stripe.Identity.VerificationSession.ProvidedDetails | null {
  if (change === undefined) return current
  if (change === null) return null
  const out: Stripe.Identity.VerificationSession.ProvidedDetails = {...current}
  for (const key of ['email', 'phone'] as const) {
    if (change[key] === null) delete out[key]
    else if (change[key] !== undefined) out[key] = change[key]
  }
  return Object.keys(out).length === 0 ? null : out
}

/** A copy that later changes do not reach, without its client secret. */
function snapshot(session: VerificationSession): VerificationSession {
  return {...structuredClone(session), client_secret: null}
}
