import type {FormParams} from './form.js'
import {parameterUnknown} from './stripe-error.js'

/**
 * The parameters each route takes, as Stripe's API reference lists them (the schema test checks this
 * table against Stripe's published one). Any other parameter is refused the same way everywhere:
 * 400 `parameter_unknown`.
 */
export const ROUTE_PARAMS = {
  'POST /v1/identity/verification_sessions': [
    'client_reference_id',
    'expand',
    'metadata',
    'options',
    'provided_details',
    'related_customer',
    'related_customer_account',
    'related_person',
    'return_url',
    'type',
    'verification_flow',
  ],
  'GET /v1/identity/verification_sessions': [
    'client_reference_id',
    'created',
    'ending_before',
    'expand',
    'limit',
    'related_customer',
    'related_customer_account',
    'starting_after',
    'status',
  ],
  'POST /v1/identity/verification_sessions/{session}': ['expand', 'metadata', 'options', 'provided_details', 'type'],
  'GET /v1/identity/verification_sessions/{session}': ['expand'],
  'POST /v1/identity/verification_sessions/{session}/cancel': ['expand'],
  'POST /v1/identity/verification_sessions/{session}/redact': ['expand'],
  'GET /v1/identity/verification_reports': ['client_reference_id', 'created', 'ending_before', 'expand', 'limit', 'starting_after', 'type', 'verification_session'],
  'GET /v1/identity/verification_reports/{report}': ['expand'],
  'GET /v1/events': ['created', 'delivery_success', 'ending_before', 'expand', 'limit', 'starting_after', 'type', 'types'],
  'GET /v1/events/{id}': ['expand'],
} as const satisfies Record<string, readonly string[]>

export type Route = keyof typeof ROUTE_PARAMS

/** Refuses the first parameter the route does not take, with Stripe's `parameter_unknown`. */
export function rejectUnknownParams(params: FormParams, route: Route): void {
  const known: readonly string[] = ROUTE_PARAMS[route]
  for (const key of Object.keys(params)) if (!known.includes(key)) throw parameterUnknown(key)
}
