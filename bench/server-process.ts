/**
 * Servers under test run as child processes of the bench, on free loopback ports, so that their CPU
 * and memory are theirs alone and they can be measured from /proc; they are always stopped, even
 * when the bench fails.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** Resident memory of a process from /proc, in kibibytes: now (`VmRSS`) and its peak so far (`VmHWM`). */
export function residentMemory(pid: number): {rssKb: number; peakKb: number} {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return {rssKb: field('VmRSS'), peakKb: field('VmHWM')}
}

/** A running child server. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string
  pid: number
  /** The last lines it printed, for the error message when something goes wrong. */
  output(lines?: number): string
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

const running = new Set<ChildProcess>()
const scratchDirs = new Set<string>()
// A bench that throws or is interrupted must leave no server and no scratch folder behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
  for (const dir of scratchDirs) rmSync(dir, {recursive: true, force: true})
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

/** A new folder under the system's temporary one, removed by `removeScratchDir` or when the bench exits. */
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

/** Starts `node --import tsx <entry>` with `env` and waits until `readyPath` answers over HTTP. */
export async function startServerProcess({
  root,
  entry,
  port,
  env,
  readyPath = '/',
  timeoutMs = 30_000,
}: {
  root: string
  entry: string
  port: number
  env: Record<string, string | undefined>
  readyPath?: string
  timeoutMs?: number
}): Promise<ServerProcess> {
  // What it prints goes to a file, written by the kernel: read through a pipe, its log lines would
  // cost the bench process, which also generates the load, CPU time on the same cores.
  const logDir = scratchDir('identity-verify-bench-log-')
  const logFile = join(logDir, 'output.log')
  const fd = openSync(logFile, 'w')
  const childEnv: NodeJS.ProcessEnv = {...process.env}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {cwd: root, env: childEnv, stdio: ['ignore', fd, fd]})
  closeSync(fd)
  running.add(child)
  const output = (lines = 40) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(-lines).join('\n')
    } catch {
      return '' // stopped: its output is gone with it
    }
  }
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child)
      resolve()
    }),
  )

  const url = `http://127.0.0.1:${port}`
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }
    removeScratchDir(logDir)
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const message = `${entry} exited before listening:\n${output()}`
      await stop()
      throw new Error(message)
    }
    try {
      await fetch(url + readyPath, {signal: AbortSignal.timeout(1_000)})
      break
    } catch {
      if (Date.now() > deadline) {
        const message = `${entry} did not answer on ${url} within ${timeoutMs} ms:\n${output()}`
        await stop()
        throw new Error(message)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {url, pid: child.pid!, output, stop}
}
