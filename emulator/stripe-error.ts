/** The body of a Stripe API error, as stripe-node parses it into its error classes. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'idempotency_error'
  message: string
  code?: string
  param?: string
  doc_url?: string
}

/** An error answered in Stripe's shape `{error: {...}}` with Stripe's HTTP status. */
export class StripeApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 500 | 503,
    readonly body: StripeErrorBody,
  ) {
    super(body.message)
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`

/** 400 `invalid_request_error`, with Stripe's `code`/`param`/`doc_url` when given a code. */
export function invalidRequest(message: string, options: {code?: string; param?: string} = {}): StripeApiError {
  const {code, param} = options
  return new StripeApiError(400, {type: 'invalid_request_error', message, ...(code && {code, doc_url: docUrl(code)}), ...(param && {param})})
}

/** 400 `parameter_missing`, worded as Stripe words it. */
export const parameterMissing = (param: string) => invalidRequest(`Missing required param: ${param}.`, {code: 'parameter_missing', param})

/** 400 `parameter_unknown`, worded as Stripe words it. */
export const parameterUnknown = (param: string) => invalidRequest(`Received unknown parameter: ${param}`, {code: 'parameter_unknown', param})

/** 404 `resource_missing`, worded as Stripe words it. */
export function resourceMissing(what: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, {type: 'invalid_request_error', code: 'resource_missing', doc_url: docUrl('resource_missing'), param, message: `No such ${what}: '${id}'`})
}

/** 401 for a missing or unusable API key (Stripe reports these as `invalid_request_error` with status 401). */
export const authenticationFailed = (message: string) => new StripeApiError(401, {type: 'invalid_request_error', message})

/** 500 `api_error`, as Stripe answers when something failed on its side. */
export const apiError = (message = 'An unknown error occurred') => new StripeApiError(500, {type: 'api_error', message})
