import type {StoredSession} from '../rules/event-rules.js'
import {isVerificationStatus} from '../../protocol/verification-status.js'
import type {VerificationRecord} from '../rules/records.js'

/**
 * A row of the `sessions` table, as every store's database hands it back: SQLite gives integers and
 * 0/1, PostgreSQL gives BIGINT as a string (it may exceed a double; our ms and seconds never do) and
 * booleans.
 */
export interface SessionRow {
  id: string
  user_ref: string
  status: string
  last_error_code: string | null
  redacted: number | boolean
  status_event_created: number | string | null
  created_at: number | string
  submitted_at: number | string | null
  updated_at: number | string
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value))

/** The record of a row, or null for no row. */
export function toRecord(row: SessionRow | undefined): VerificationRecord | null {
  if (!row) return null
  if (!isVerificationStatus(row.status)) throw new Error(`Unknown status in the store: ${row.status}`)
  return {
    id: row.id,
    userRef: row.user_ref,
    status: row.status,
    lastErrorCode: row.last_error_code,
    redacted: Boolean(row.redacted),
    createdAt: Number(row.created_at),
    submittedAt: numberOrNull(row.submitted_at),
    updatedAt: Number(row.updated_at),
  }
}

/** What the event rules need of a stored session. */
export function toStoredSession(row: SessionRow | undefined): StoredSession | null {
  if (!row) return null
  const {status, lastErrorCode, submittedAt} = toRecord(row)!
  return {status, lastErrorCode, statusEventCreated: numberOrNull(row.status_event_created), submittedAt}
}
