/**
 * Stripe's form encoding of nested parameters, as stripe-node writes it:
 * `metadata[user_id]=u1`, `options[document][allowed_types][0]=passport`, `expand[]=x`.
 */

/** A decoded parameter tree: strings at the leaves, arrays where every key was an index. */
export type FormValue = string | FormValue[] | {[key: string]: FormValue}
export type FormParams = {[key: string]: FormValue}

type Tree = {[key: string]: Tree | string}

/** Splits `a[b][0]` into `['a', 'b', '0']`; `null` when the brackets are malformed. */
function splitKey(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key)
  if (!match) return null
  const rest = [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1])
  return [match[1], ...rest]
}

function toValue(node: Tree | string): FormValue {
  if (typeof node === 'string') return node
  const keys = Object.keys(node)
  // An object whose keys are all indices is an array (`[0]`, `[1]`, or the `[]` shorthand).
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k) || k.startsWith('\u0000'))) {
    return keys.sort((a, b) => order(a) - order(b)).map((k) => toValue(node[k]))
  }
  const out: {[key: string]: FormValue} = {}
  for (const k of keys) out[k] = toValue(node[k])
  return out
}

const order = (k: string) => (k.startsWith('\u0000') ? Number(k.slice(1)) : Number(k))

/** Decodes a form body or query string into nested parameters; throws on a conflicting or malformed key. */
export function parseForm(input: string | URLSearchParams): FormParams {
  const search = typeof input === 'string' ? new URLSearchParams(input) : input
  const root: Tree = {}
  let appended = 0
  for (const [rawKey, value] of search) {
    const path = splitKey(rawKey)
    if (!path) throw new FormError(rawKey)
    let node = root
    for (let i = 0; i < path.length; i++) {
      // `[]` appends; a private prefix keeps appended items in order without clashing with indices.
      const key = path[i] === '' ? `\u0000${appended++}` : path[i]
      const last = i === path.length - 1
      if (last) {
        if (typeof node[key] === 'object') throw new FormError(rawKey)
        node[key] = value
      } else {
        const next = node[key] ?? (node[key] = {})
        if (typeof next === 'string') throw new FormError(rawKey)
        node = next
      }
    }
  }
  return toValue(root) as FormParams
}

/** A key that cannot be decoded, such as `a[b` or both `a=1` and `a[b]=2`. */
export class FormError extends Error {
  constructor(readonly param: string) {
    super(`Invalid parameter: ${param}`)
  }
}

/** A canonical string of the parameters, to compare two requests regardless of key order. */
export function canonicalParams(params: FormParams): string {
  const sort = (value: FormValue): FormValue =>
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? value.map(sort)
        : Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sort(value[k])]),
          )
  return JSON.stringify(sort(params))
}
