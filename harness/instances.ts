/**
 * Several `npm start` servers sharing one PostgreSQL database and one emulator (`npm run emulator`),
 * each its own process, the way a site runs instances behind a load balancer. Shared by the scale-out
 * tests and the benchmarks.
 */
import {join} from 'node:path'
import {freePort, scratchDir, startServerProcess, type ProgramProcess} from './server-process.js'

/** A program listening at `url`. */
export interface ListeningProgram extends ProgramProcess {
  readonly url: string
  readonly port: number
}

/** `npm run emulator` on a free port, signing with `webhookSecret` and delivering to `webhookUrl`. */
export async function startEmulatorProgram({webhookSecret, webhookUrl}: {webhookSecret: string; webhookUrl: string}): Promise<ListeningProgram> {
  const port = await freePort()
  const url = `http://localhost:${port}`
  const program = await startServerProcess({
    entry: 'emulator/main.ts',
    env: {EMULATOR_PORT: String(port), STRIPE_WEBHOOK_SECRET: webhookSecret, WEBHOOK_URL: webhookUrl},
    readyUrls: [`${url}/dashboard`],
  })
  return Object.assign(program, {url, port})
}

/** What every instance of one deployment shares. */
export interface Deployment extends DeploymentServices {
  databaseUrl: string
}

/** A server with no `DATABASE_URL`, on the SQLite file at `databasePath` (one process per file). */
export interface FileDeployment extends DeploymentServices {
  databasePath: string
}

/** What a deployment's instances share besides their database. */
interface DeploymentServices {
  emulatorUrl: string
  webhookSecret: string
  /** Signs the visitor cookie: the same on every instance, so a visitor is known to all of them. */
  visitorSecret: string
  /** `DATABASE_POOL_SIZE`, when given. */
  poolSize?: number
}

/** The variables of a server of `deployment` listening on `port`, whatever its runtime (the shell's own STRIPE_* left out). */
export function deploymentEnv(deployment: Deployment | FileDeployment, port: number): Record<string, string | undefined> {
  const database = 'databasePath' in deployment ? {DATABASE_URL: undefined, DATABASE_PATH: deployment.databasePath} : {DATABASE_URL: deployment.databaseUrl}
  return {
    STRIPE_SECRET_KEY: undefined,
    STRIPE_PUBLISHABLE_KEY: undefined,
    ALLOWED_ORIGINS: undefined,
    PORT: String(port),
    // Where the tests and benchmarks reach each instance.
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...database,
    DATABASE_POOL_SIZE: deployment.poolSize === undefined ? undefined : String(deployment.poolSize),
    EMULATOR_URL: deployment.emulatorUrl,
    STRIPE_WEBHOOK_SECRET: deployment.webhookSecret,
    VISITOR_SECRET: deployment.visitorSecret,
  }
}

/** `npm start` with the deployment's database and emulator, on `port` or a free one. */
export async function startInstance(deployment: Deployment | FileDeployment, port?: number): Promise<ListeningProgram> {
  const chosen = port ?? (await freePort())
  const url = `http://127.0.0.1:${chosen}`
  const program = await startServerProcess({
    entry: 'standalone/main.ts',
    env: {
      // Not used with DATABASE_URL; kept apart so no instance touches the developer's file.
      DATABASE_PATH: join(scratchDir('identity-verify-instance-'), 'unused.sqlite'),
      ...deploymentEnv(deployment, chosen),
    },
    readyUrls: [`${url}/`],
  })
  return Object.assign(program, {url, port: chosen})
}
