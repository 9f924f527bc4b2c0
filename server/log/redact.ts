/**
 * Masks every secret that might reach a log line: client secrets (`vs_…_secret_…`), secret and
 * restricted keys (`sk_…`, `rk_…`) and webhook signing secrets (`whsec_…`). Both the server and the
 * emulator pass every log line through it, so a secret cannot be logged by accident.
 */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(vs|vi)_[A-Za-z0-9]+_secret_[A-Za-z0-9_]+/g, '$1_[client secret]'],
  [/\b(sk|rk)_(test|live)_[A-Za-z0-9_]+/g, '$1_$2_[redacted]'],
  [/\bwhsec_[A-Za-z0-9_+/=]+/g, 'whsec_[redacted]'],
]

/**
 * What every secret above contains, in one pattern: a text without it has nothing to mask, which is
 * all but every log line, so that one scan tells instead of a scan per pattern.
 */
const MAY_HOLD_SECRET = /_secret_|\b[sr]k_(?:test|live)_|\bwhsec_/

/** The text with every secret it contains masked. */
export function redactSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text
  let out = text
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement)
  return out
}
