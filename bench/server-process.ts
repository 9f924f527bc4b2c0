/**
 * Servers under test run as child processes of the bench, on free loopback ports, so that their CPU
 * and memory are theirs alone and they can be measured from /proc; they are always stopped, even
 * when the bench fails.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {createServer} from 'node:net'

/** A free TCP port on 127.0.0.1, for a child that must be told its port in advance. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

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
  output(): string
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

const running = new Set<ChildProcess>()
// A bench that throws or is interrupted must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL')
    process.exit(130)
  })
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
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  // Keep draining what it prints (a full pipe would stall it), but remember only the tail.
  let tail: string[] = []
  const keep = (chunk: Buffer) => {
    tail = tail.concat(chunk.toString('utf8').split('\n').filter(Boolean)).slice(-40)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => (running.delete(child), resolve())))

  const url = `http://127.0.0.1:${port}`
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${entry} exited before listening:\n${tail.join('\n')}`)
    }
    try {
      await fetch(url + readyPath, {signal: AbortSignal.timeout(1_000)})
      break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`${entry} did not answer on ${url} within ${timeoutMs} ms:\n${tail.join('\n')}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {url, pid: child.pid!, output: () => tail.join('\n'), stop}
}
