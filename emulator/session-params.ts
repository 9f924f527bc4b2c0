import type Stripe from 'stripe'
import type {FormParams, FormValue} from './form.js'
import {rejectUnknownParams, type Route} from './route-params.js'
import {SESSION_EXPANDABLE} from './session-view.js'
import {invalidRequest, parameterMissing, parameterUnknown} from './stripe-error.js'

/** `provided_details` as asked: null clears them all, a null key removes that key. */
export type ProvidedDetailsParams = {email?: string | null; phone?: string | null} | null

/** What a create or update request asks for, once validated as Stripe validates it. */
export interface SessionParams {
  type?: 'document' | 'id_number'
  metadata?: Record<string, string | null>
  options?: Stripe.Identity.VerificationSession.Options
  provided_details?: ProvidedDetailsParams
  client_reference_id?: string
  related_customer?: string
  related_customer_account?: string
  return_url?: string
  expand: string[]
}

const SESSION_TYPES = ['document', 'id_number'] as const
const ALLOWED_TYPES = ['driving_license', 'id_card', 'passport'] as const
const DOCUMENT_FLAGS = ['require_id_number', 'require_live_capture', 'require_matching_selfie'] as const

const isObject = (v: FormValue | undefined): v is {[key: string]: FormValue} => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A string parameter, at most `maxLength` characters; `param` names it in errors. */
export function string(params: FormParams, name: string, maxLength = 5000, param = name): string | undefined {
  const value = params[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${param} must be a string.`, {code: 'parameter_invalid_string', param})
  if (value.length > maxLength) throw invalidRequest(`Invalid string: ${param} must be at most ${maxLength} characters.`, {code: 'parameter_invalid_string', param})
  return value
}

function oneOf<T extends string>(value: FormValue, allowed: readonly T[], param: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  const list = allowed.length > 2 ? `${allowed.slice(0, -1).join(', ')}, or ${allowed.at(-1)}` : allowed.join(' or ')
  throw invalidRequest(`Invalid ${param}: must be one of ${list}`, {param})
}

function boolean(value: FormValue, param: string): boolean {
  if (value === 'true') return true
  if (value === 'false') return false
  throw invalidRequest(`Invalid boolean: ${typeof value === 'string' ? value : param}`, {code: 'parameter_invalid_boolean', param})
}

/** `expand[]`: only the fields Stripe allows to expand on this object (a VerificationSession unless told). */
export function parseExpand(params: FormParams, expandable: readonly string[] = SESSION_EXPANDABLE): string[] {
  const value = params.expand
  if (value === undefined) return []
  if (!Array.isArray(value)) throw invalidRequest('Invalid array', {code: 'parameter_invalid_array', param: 'expand'})
  return value.map((item) => {
    if (typeof item !== 'string' || !expandable.includes(item)) throw invalidRequest(`This property cannot be expanded (${String(item)}).`, {param: 'expand'})
    return item
  })
}

/** `provided_details[email]` and `provided_details[phone]`; `''` unsets a key, `provided_details=` all of them. */
function parseProvidedDetails(value: FormValue): ProvidedDetailsParams {
  if (value === '') return null
  if (!isObject(value)) throw invalidRequest('Invalid provided_details: must be an object.', {param: 'provided_details'})
  const out: {email?: string | null; phone?: string | null} = {}
  for (const key of Object.keys(value)) {
    const param = `provided_details[${key}]`
    if (key !== 'email' && key !== 'phone') throw parameterUnknown(param)
    const text = string(value, key, 5000, param)!
    if (text === '') out[key] = null
    else if (key === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) throw invalidRequest(`Invalid email address: ${text}`, {code: 'email_invalid', param})
    else out[key] = text
  }
  return out
}

/** Metadata as Stripe limits it: 50 keys, keys up to 40 characters, values up to 500; `''` unsets a key. */
function parseMetadata(value: FormValue): Record<string, string | null> {
  // `metadata=` (empty) clears all metadata, as stripe-node sends for `metadata: ''`.
  if (value === '') return {}
  if (!isObject(value)) throw invalidRequest('Invalid metadata: metadata must be an object.', {param: 'metadata'})
  const entries = Object.entries(value)
  if (entries.length > 50) throw invalidRequest('Invalid metadata: metadata can have at most 50 keys.', {param: 'metadata'})
  const out: Record<string, string | null> = {}
  for (const [key, item] of entries) {
    const param = `metadata[${key}]`
    if (key.length > 40) throw invalidRequest(`Invalid metadata: keys can be at most 40 characters (${key.slice(0, 40)}…).`, {param})
    if (typeof item !== 'string') throw invalidRequest('Invalid metadata: values must be strings.', {param})
    if (item.length > 500) throw invalidRequest(`Invalid metadata: values can be at most 500 characters (key ${key}).`, {param})
    out[key] = item === '' ? null : item
  }
  return out
}

function parseOptions(value: FormValue): Stripe.Identity.VerificationSession.Options {
  if (value === '') return {}
  if (!isObject(value)) throw invalidRequest('Invalid options: must be an object.', {param: 'options'})
  const options: Stripe.Identity.VerificationSession.Options = {}
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'document') throw parameterUnknown(`options[${key}]`)
    if (item === '') {
      options.document = {}
      continue
    }
    if (!isObject(item)) throw invalidRequest('Invalid options[document]: must be an object.', {param: 'options[document]'})
    const document: Stripe.Identity.VerificationSession.Options.Document = {}
    for (const [field, flag] of Object.entries(item)) {
      const param = `options[document][${field}]`
      if (field === 'allowed_types') {
        if (!Array.isArray(flag)) throw invalidRequest(`Invalid array`, {code: 'parameter_invalid_array', param})
        document.allowed_types = flag.map((t, i) => oneOf(t, ALLOWED_TYPES, `${param}[${i}]`))
      } else if ((DOCUMENT_FLAGS as readonly string[]).includes(field)) {
        document[field as (typeof DOCUMENT_FLAGS)[number]] = boolean(flag, param)
      } else throw parameterUnknown(param)
    }
    options.document = document
  }
  return options
}

/**
 * Validates the parameters of `POST /v1/identity/verification_sessions`. The emulator's account has
 * no verification flows and no connected accounts, so `verification_flow` and `related_person` name
 * objects that do not exist there, and are refused as Stripe refuses a missing object.
 */
export function parseCreateParams(params: FormParams): SessionParams {
  rejectUnknownParams(params, 'POST /v1/identity/verification_sessions')
  const flow = string(params, 'verification_flow')
  if (flow !== undefined) throw invalidRequest(`No such verification flow: '${flow}'`, {code: 'resource_missing', param: 'verification_flow'})
  if (params.related_person !== undefined) {
    const person = isObject(params.related_person) && typeof params.related_person.person === 'string' ? params.related_person.person : ''
    throw invalidRequest(`No such person: '${person}'`, {code: 'resource_missing', param: 'related_person[person]'})
  }
  if (params.type === undefined) throw parameterMissing('type')
  const type = oneOf(params.type, SESSION_TYPES, 'type')
  const options = params.options === undefined ? undefined : parseOptions(params.options)
  if (type === 'id_number' && options?.document) throw invalidRequest('options[document] can only be used with type document.', {param: 'options[document]'})
  return {
    type,
    options,
    metadata: params.metadata === undefined ? undefined : parseMetadata(params.metadata),
    provided_details: params.provided_details === undefined ? undefined : parseProvidedDetails(params.provided_details),
    client_reference_id: string(params, 'client_reference_id'),
    related_customer: string(params, 'related_customer'),
    related_customer_account: string(params, 'related_customer_account'),
    return_url: string(params, 'return_url'),
    expand: parseExpand(params),
  }
}

/** Validates the parameters of `POST /v1/identity/verification_sessions/:id`. */
export function parseUpdateParams(params: FormParams): SessionParams {
  rejectUnknownParams(params, 'POST /v1/identity/verification_sessions/{session}')
  return {
    type: params.type === undefined ? undefined : oneOf(params.type, SESSION_TYPES, 'type'),
    options: params.options === undefined ? undefined : parseOptions(params.options),
    metadata: params.metadata === undefined ? undefined : parseMetadata(params.metadata),
    provided_details: params.provided_details === undefined ? undefined : parseProvidedDetails(params.provided_details),
    expand: parseExpand(params),
  }
}

/** Validates `expand[]` only, for the routes that take nothing else (retrieve, cancel, redact of a session; retrieve of a report or an event). */
export function parseExpandOnly(params: FormParams, route: Route, expandable?: readonly string[]): string[] {
  rejectUnknownParams(params, route)
  return parseExpand(params, expandable)
}
