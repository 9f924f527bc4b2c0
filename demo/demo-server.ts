import {spawn, type ChildProcess} from 'node:child_process'
import {once} from 'node:events'
import {createServer} from 'node:net'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** A port nobody listens on right now, so suites running side by side never collide. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const {port} = server.address() as {port: number}
  server.close()
  await once(server, 'close')
  return port
}

/** `npm start`'s server, running as its own process the way a user runs it. */
export interface DemoServer {
  /** The demo, `http://localhost:PORT`. */
  readonly url: string
  /** The emulator, `http://localhost:EMULATOR_PORT`. */
  readonly emulatorUrl: string
  readonly port: number
  readonly emulatorPort: number
  readonly databasePath: string
  /** Everything the process printed so far, stdout and stderr. */
  output(): string
  /** SIGTERM, then SIGKILL if it lingers; resolves once the process is gone. */
  stop(): Promise<void>
}

/** Starts `server/main.ts` in emulator mode on the given (or free) ports and waits until it answers. */
export async function startDemoServer(options: {
  databasePath: string
  port?: number
  emulatorPort?: number
  env?: Record<string, string>
}): Promise<DemoServer> {
  const port = options.port ?? (await freePort())
  const emulatorPort = options.emulatorPort ?? (await freePort())
  const env: NodeJS.ProcessEnv = {...process.env, ...options.env}
  // Whatever the shell exports, these tests run offline against the emulator.
  for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET']) delete env[name]
  Object.assign(env, {PORT: String(port), EMULATOR_PORT: String(emulatorPort), DATABASE_PATH: options.databasePath})

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe']})
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = once(child, 'exit')

  const url = `http://localhost:${port}`
  const emulatorUrl = `http://localhost:${emulatorPort}`
  const server: DemoServer = {
    url,
    emulatorUrl,
    port,
    emulatorPort,
    databasePath: options.databasePath,
    output: () => output,
    stop: () => stop(child, exited),
  }
  try {
    await waitUntilAnswering(`${url}/`, child, 30_000)
    await waitUntilAnswering(`${emulatorUrl}/dashboard`, child, 10_000)
  } catch (error) {
    await server.stop()
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`)
  }
  return server
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The server exited (${child.exitCode ?? child.signalCode})`)
    try {
      const response = await fetch(url, {signal: AbortSignal.timeout(2000)})
      await response.arrayBuffer()
      if (response.ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
