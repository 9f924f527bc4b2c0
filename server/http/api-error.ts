import {HTTPException} from 'hono/http-exception'
import type {ContentfulStatusCode} from 'hono/utils/http-status'

/** An error the API answers with `{"error": {"message", "code"?}}` and the given status. */
export class ApiError extends HTTPException {
  /** A stable, machine-readable reason, e.g. `stripe_unavailable`. */
  readonly code: string | undefined
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>

  constructor(status: ContentfulStatusCode, message: string, code?: string, headers: Record<string, string> = {}) {
    super(status, {message})
    this.code = code
    this.headers = headers
  }
}
