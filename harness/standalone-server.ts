import {freePort, startServerProcess, type ProgramProcess} from './server-process.js'

/** `npm start`'s program, the server with the demo and the emulator, running as its own process. */
export interface StandaloneServer extends ProgramProcess {
  /** The demo, `http://localhost:PORT`. */
  readonly url: string
  /** The emulator, `http://localhost:EMULATOR_PORT`. */
  readonly emulatorUrl: string
  readonly port: number
  readonly emulatorPort: number
  readonly databasePath: string
}

/**
 * Starts `standalone/main.ts` in emulator mode (whatever STRIPE_* the shell exports) on the given or
 * free ports, and waits until both the demo and the emulator answer. It runs the sources through tsx,
 * not the compiled lib/ that `npm start` runs: a test file run alone needs no build and can never meet
 * a lib/ older than the sources. The compiled program is tested as a site installs it, in
 * test/package/command.test.ts, after `npm test`'s build.
 */
export async function startStandaloneServer(options: {
  databasePath: string
  port?: number
  emulatorPort?: number
  env?: Record<string, string | undefined>
}): Promise<StandaloneServer> {
  const port = options.port ?? (await freePort())
  const emulatorPort = options.emulatorPort ?? (await freePort())
  const url = `http://localhost:${port}`
  const emulatorUrl = `http://localhost:${emulatorPort}`
  const program = await startServerProcess({
    entry: 'standalone/main.ts',
    env: {
      STRIPE_SECRET_KEY: undefined,
      STRIPE_PUBLISHABLE_KEY: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
      ...options.env,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      DATABASE_PATH: options.databasePath,
    },
    readyUrls: [`${url}/`, `${emulatorUrl}/dashboard`],
  })
  return Object.assign(program, {url, emulatorUrl, port, emulatorPort, databasePath: options.databasePath})
}
