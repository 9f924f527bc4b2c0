/** Plain-text tables that read well in a terminal and render as Markdown. */

/** Cells of one row, already formatted. */
export type Row = readonly string[]

/** A Markdown table with every column padded to its widest cell; numeric-looking columns align right. */
export function formatTable(header: Row, rows: readonly Row[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)))
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,×%]+(\s?\w{1,3})?$|^–$/.test(row[i] ?? '')))
  const pad = (cell: string, i: number) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))
  const line = (row: Row) => `| ${header.map((_, i) => pad(row[i] ?? '', i)).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** Bytes as `12,345`. */
export function formatBytes(bytes: number): string {
  return bytes.toLocaleString('en-US')
}

/** A duration in milliseconds with a precision that suits its size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`
}

/** A difference of times with its sign: `+0.10 ms`, `−1.85 ms`. */
export function formatMsDifference(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  return `${ms < 0 ? '−' : '+'}${formatMs(Math.abs(ms))}`
}

/** A ratio as `3.4×`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–'
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}×`
}
