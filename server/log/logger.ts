import {redactSecrets} from './redact.js'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

/** A structured logger: one JSON line per call, secrets masked. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

/** Where log lines go: stdout by default; tests pass a function that keeps them. */
export type LogSink = (line: string) => void

let buffered: string[] = []
let flushesOnExit = false
function flush(): void {
  if (buffered.length === 0) return
  const text = buffered.join('')
  buffered = []
  process.stdout.write(text)
}
/**
 * stdout, one write per turn of the event loop for all the lines of that turn: under load a write per
 * line costs the server a system call per request. Lines still waiting are written on exit.
 */
const defaultSink: LogSink = (line) => {
  if (buffered.push(line + '\n') > 1) return
  setImmediate(flush)
  if (!flushesOnExit) process.once('exit', flush)
  flushesOnExit = true
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) return {name: value.name, message: value.message}
  return value
}

/** The time of a log line: the same text for every line of one millisecond, formatted once. */
let stampedAt = Number.NaN
let stamp = ''
function timestamp(): string {
  const now = Date.now()
  if (now !== stampedAt) {
    stampedAt = now
    stamp = new Date(now).toISOString()
  }
  return stamp
}

/** A logger writing JSON lines (`{"time","level","msg",...fields}`) to `sink`, every secret masked. */
export function createLogger(sink: LogSink = defaultSink, base: LogFields = {}): Logger {
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    const entry: LogFields = {time: timestamp(), level, msg}
    for (const key in base) entry[key] = base[key]
    for (const key in fields) entry[key] = serialise(fields[key])
    sink(redactSecrets(JSON.stringify(entry)))
  }
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  }
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger(() => {})
