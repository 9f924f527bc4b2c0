/**
 * Server programs run as child processes, the way a user runs them: spawned, waited for until they
 * answer, and stopped. Shared by the tests, the benchmarks and the screenshot script. A child and its
 * scratch folder never outlive the process that started them, even when it fails or is interrupted.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {once} from 'node:events'
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {request} from 'node:http'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** The repository's root, where programs are started from. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url))

const running = new Set<ChildProcess>()
const scratchDirs = new Set<string>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
  for (const dir of scratchDirs) rmSync(dir, {recursive: true, force: true})
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

/** A new folder under the system's temporary one, removed by `removeScratchDir` or when this process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  scratchDirs.add(dir)
  return dir
}

/** Removes a folder made by `scratchDir`. */
export function removeScratchDir(dir: string): void {
  rmSync(dir, {recursive: true, force: true})
  scratchDirs.delete(dir)
}

/** A port nobody listens on right now, so programs running side by side never collide. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const {port} = server.address() as {port: number}
  server.close()
  await once(server, 'close')
  return port
}

/** A program started by `spawnProgram`. */
export interface ProgramProcess {
  readonly pid: number
  /** Everything it printed so far, stdout and stderr together; the last `lines` only when given. */
  output(lines?: number): string
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  readonly exited: Promise<number | null>
  /** Whether it has exited. */
  hasExited(): boolean
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>
}

/**
 * Starts `node <nodeFlags> --import tsx <entry>` from the repository's root (plain
 * `node <nodeFlags> <entry>` for a JavaScript entry, which then carries no TypeScript loader), or
 * `command` (another runtime's, `[program, ...arguments]`) when given. `env` is added to this process's environment (a value of
 * `undefined` removes a variable), or is the whole environment with `inheritEnv: false`.
 */
export function spawnProgram({
  entry,
  nodeFlags = [],
  command,
  env = {},
  inheritEnv = true,
  cwd = ROOT,
}: {
  entry: string
  /** Node's own options, before the entry (for those that NODE_OPTIONS refuses). */
  nodeFlags?: readonly string[]
  command?: readonly string[]
  env?: Record<string, string | undefined>
  inheritEnv?: boolean
  /** Where it runs: the repository's root unless given. */
  cwd?: string
}): ProgramProcess {
  // What it prints goes to a file, written by the kernel: read through a pipe, its log lines would
  // cost this process, which may also be generating load on the same cores, CPU time.
  const logFile = join(scratchDir('identity-verify-output-'), 'output.log')
  const fd = openSync(logFile, 'w')
  const childEnv: NodeJS.ProcessEnv = inheritEnv ? {...process.env} : {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }
  const [program, ...args] = command ?? [process.execPath, ...nodeFlags, ...(/\.m?js$/.test(entry) ? [entry] : ['--import', 'tsx', entry])]
  const child = spawn(program!, args, {cwd, env: childEnv, stdio: ['ignore', fd, fd]})
  closeSync(fd)
  running.add(child)
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child)
      resolve(code)
    }),
  )
  const hasExited = () => child.exitCode !== null || child.signalCode !== null
  return {
    pid: child.pid!,
    exited,
    hasExited,
    output(lines) {
      const text = readFileSync(logFile, 'utf8')
      return lines === undefined ? text : text.split('\n').filter(Boolean).slice(-lines).join('\n')
    },
    async stop(graceMs = 5_000) {
      if (hasExited()) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Waits until a GET of `url` gets an HTTP answer, failing early with the program's output if it exits first. */
export async function waitUntilAnswering(program: ProgramProcess, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (program.hasExited()) throw new Error(`The program exited before ${url} answered:\n${program.output(40)}`)
    try {
      const response = await fetch(url, {signal: AbortSignal.timeout(2_000)})
      await response.arrayBuffer()
      return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${program.output(40)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Starts a program and waits until each of `readyUrls` answers; on failure the program is stopped and
 * the error carries its last lines.
 */
export async function startServerProcess(options: {
  entry: string
  nodeFlags?: readonly string[]
  command?: readonly string[]
  cwd?: string
  env?: Record<string, string | undefined>
  inheritEnv?: boolean
  readyUrls: readonly string[]
  timeoutMs?: number
}): Promise<ProgramProcess> {
  const program = spawnProgram(options)
  try {
    for (const url of options.readyUrls) await waitUntilAnswering(program, url, options.timeoutMs)
  } catch (error) {
    await program.stop()
    throw error
  }
  return program
}

/** What a server did when SIGTERM came during a request (see `stopDuringRequest`). */
export interface StopDuringRequest {
  /** Whether the process was still running 300 ms after SIGTERM, with the request unfinished. */
  runningMeanwhile: boolean
  /** What a new request got meanwhile: `answered <status>`, or the connection's error code (`ECONNREFUSED`). */
  newRequest: string
  /** The status the request in flight was answered with (400 here: its signature is forged). */
  inFlightStatus: number
  /** The exit code. */
  exitCode: number | null
}

/**
 * Sends SIGTERM to `program` while a webhook request to `url` (a server's origin) is half sent, tries a
 * new request, finishes the first one and waits for the exit: what a load balancer and Stripe see
 * of a server stopping during a deploy.
 */
export async function stopDuringRequest(program: ProgramProcess, url: string): Promise<StopDuringRequest> {
  const body = JSON.stringify({id: 'evt_late', type: 'ping'})
  const inFlight = request(`${url}/webhook`, {
    method: 'POST',
    headers: {'content-type': 'application/json', 'content-length': String(body.length), 'stripe-signature': 't=1,v1=00'},
  })
  const answered = new Promise<number>((resolve, reject) => inFlight.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject))
  inFlight.write(body.slice(0, 5))
  await new Promise((resolve) => setTimeout(resolve, 300))
  process.kill(program.pid, 'SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 300))
  const runningMeanwhile = !program.hasExited()
  const newRequest = await fetch(`${url}/healthz`).then(
    (res) => `answered ${res.status}`,
    (error: Error) => (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message,
  )
  inFlight.end(body.slice(5))
  return {runningMeanwhile, newRequest, inFlightStatus: await answered, exitCode: await program.exited}
}
