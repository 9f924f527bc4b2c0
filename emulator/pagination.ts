import type {FormParams} from './form.js'
import {invalidRequest, resourceMissing} from './stripe-error.js'

/** A Stripe list object. */
export interface ListObject<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  url: string
}

function limitOf(params: FormParams): number {
  const raw = params.limit
  if (raw === undefined) return 10
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) throw invalidRequest(`Invalid integer: ${String(raw)}`, {code: 'parameter_invalid_integer', param: 'limit'})
  const limit = Number(raw)
  if (limit < 1) throw invalidRequest('This value must be greater than or equal to 1.', {code: 'parameter_invalid_integer', param: 'limit'})
  if (limit > 100) throw invalidRequest('This value must be less than or equal to 100.', {code: 'parameter_invalid_integer', param: 'limit'})
  return limit
}

/**
 * One page of a newest-first list, as Stripe cursors it: `limit` (1–100, default 10), then either
 * `starting_after` (older than that id) or `ending_before` (newer than that id).
 */
export function paginate<T extends {id: string}>(items: T[], params: FormParams, url: string, what: string): ListObject<T> {
  const limit = limitOf(params)
  const {starting_after: after, ending_before: before} = params
  if (after !== undefined && before !== undefined) throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.')
  const cursor = (value: unknown, param: string) => {
    if (typeof value !== 'string') throw invalidRequest(`Invalid ${param}: must be an id.`, {param})
    const index = items.findIndex((item) => item.id === value)
    if (index < 0) throw resourceMissing(what, value, param)
    return index
  }
  if (before !== undefined) {
    const end = cursor(before, 'ending_before')
    const start = Math.max(0, end - limit)
    return {object: 'list', data: items.slice(start, end), has_more: start > 0, url}
  }
  const start = after === undefined ? 0 : cursor(after, 'starting_after') + 1
  return {object: 'list', data: items.slice(start, start + limit), has_more: start + limit < items.length, url}
}
