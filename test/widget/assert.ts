// Just enough of node:assert/strict for the browser, where it does not exist.

/** Fails unless `value` is truthy. */
export function ok(value: unknown, message = `expected a truthy value, got ${show(value)}`): asserts value {
  if (!value) throw new Error(message)
}

/** Fails unless `actual === expected`. */
export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) throw new Error(message ?? `expected ${show(expected)}, got ${show(actual)}`)
}

/** Fails unless both are the same JSON-like value, key for key (a key set to undefined is not a missing key). */
export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!same(actual, expected)) throw new Error(message ?? `expected ${show(expected)},\n     got ${show(actual)}`)
}

/** Fails if `haystack` contains `needle`. */
export function excludes(haystack: string, needle: string, where: string): void {
  if (haystack.includes(needle)) throw new Error(`${where} contains ${show(needle)}`)
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b || Array.isArray(a) !== Array.isArray(b)) return false
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && same(a[key as keyof typeof a], b[key as keyof typeof b]))
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value, (_, v) => (v === undefined ? '<undefined>' : v))
}
