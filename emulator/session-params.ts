import type Stripe from 'stripe'
import type {FormParams, FormValue} from './form.js'
import {invalidRequest, parameterMissing, parameterUnknown} from './stripe-error.js'

/** What a create or update request asks for, once validated as Stripe validates it. */
export interface SessionParams {
  type?: 'document' | 'id_number'
  metadata?: Record<string, string | null>
  options?: Stripe.Identity.VerificationSession.Options
  client_reference_id?: string
  return_url?: string
  expand: string[]
}

const SESSION_TYPES = ['document', 'id_number'] as const
const ALLOWED_TYPES = ['driving_license', 'id_card', 'passport'] as const
const DOCUMENT_FLAGS = ['require_id_number', 'require_live_capture', 'require_matching_selfie'] as const
const EXPANDABLE = ['last_verification_report']
const CREATE_PARAMS = ['type', 'metadata', 'options', 'client_reference_id', 'return_url', 'expand', 'provided_details', 'related_customer', 'related_person', 'verification_flow']
const UPDATE_PARAMS = ['type', 'metadata', 'options', 'expand', 'provided_details']

const isObject = (v: FormValue | undefined): v is {[key: string]: FormValue} => typeof v === 'object' && v !== null && !Array.isArray(v)

function string(params: FormParams, name: string, maxLength = 5000): string | undefined {
  const value = params[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${name} must be a string.`, {code: 'parameter_invalid_string', param: name})
  if (value.length > maxLength) throw invalidRequest(`Invalid string: ${name} must be at most ${maxLength} characters.`, {code: 'parameter_invalid_string', param: name})
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

/** `expand[]`: only the fields Stripe allows to expand on a VerificationSession. */
export function parseExpand(params: FormParams): string[] {
  const value = params.expand
  if (value === undefined) return []
  if (!Array.isArray(value)) throw invalidRequest('Invalid array', {code: 'parameter_invalid_array', param: 'expand'})
  return value.map((item) => {
    if (typeof item !== 'string' || !EXPANDABLE.includes(item)) throw invalidRequest(`This property cannot be expanded (${String(item)}).`, {param: 'expand'})
    return item
  })
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

function rejectUnknown(params: FormParams, known: string[]): void {
  for (const key of Object.keys(params)) if (!known.includes(key)) throw parameterUnknown(key)
}

/** Validates the parameters of `POST /v1/identity/verification_sessions`. */
export function parseCreateParams(params: FormParams): SessionParams {
  rejectUnknown(params, CREATE_PARAMS)
  for (const unsupported of ['provided_details', 'related_customer', 'related_person', 'verification_flow']) {
    if (params[unsupported] !== undefined) throw invalidRequest(`The emulator does not support ${unsupported}.`, {param: unsupported})
  }
  if (params.type === undefined) throw parameterMissing('type')
  const type = oneOf(params.type, SESSION_TYPES, 'type')
  const options = params.options === undefined ? undefined : parseOptions(params.options)
  if (type === 'id_number' && options?.document) throw invalidRequest('options[document] can only be used with type document.', {param: 'options[document]'})
  return {
    type,
    options,
    metadata: params.metadata === undefined ? undefined : parseMetadata(params.metadata),
    client_reference_id: string(params, 'client_reference_id'),
    return_url: string(params, 'return_url'),
    expand: parseExpand(params),
  }
}

/** Validates the parameters of `POST /v1/identity/verification_sessions/:id`. */
export function parseUpdateParams(params: FormParams): SessionParams {
  rejectUnknown(params, UPDATE_PARAMS)
  if (params.provided_details !== undefined) throw invalidRequest('The emulator does not support provided_details.', {param: 'provided_details'})
  return {
    type: params.type === undefined ? undefined : oneOf(params.type, SESSION_TYPES, 'type'),
    options: params.options === undefined ? undefined : parseOptions(params.options),
    metadata: params.metadata === undefined ? undefined : parseMetadata(params.metadata),
    expand: parseExpand(params),
  }
}

/** Validates `expand[]` only, for the routes that take nothing else (retrieve, cancel, redact). */
export function parseExpandOnly(params: FormParams): string[] {
  rejectUnknown(params, ['expand'])
  return parseExpand(params)
}
