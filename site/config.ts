import {publicUrlProblem} from '../server/http/origins.js'

/** The standalone server's settings, read from the environment of the contract by `main.ts`. */
export interface ServerConfig {
  /** `emulator`: no `STRIPE_SECRET_KEY`, everything offline; `stripe`: real Stripe. */
  mode: 'emulator' | 'stripe'
  port: number
  /**
   * `PUBLIC_URL`: the server's own origin, where browsers reach it (`https://verify.example.com`),
   * never taken from a request. In emulator mode it defaults to `http://localhost:<PORT>`.
   */
  publicUrl: string
  /** Where `publicUrl` came from: `PUBLIC_URL`, or emulator mode's default (then the port is the one listened on, for PORT=0). */
  publicUrlSource: 'environment' | 'default'
  emulatorPort: number
  /** The Stripe secret key; `sk_test_emulator` in emulator mode. */
  secretKey: string
  publishableKey: string
  /** One secret, or several separated by commas while rotating. */
  webhookSecrets: string[]
  /** Where the webhook secret came from, for the start banner. */
  webhookSecretSource: 'environment' | 'generated'
  databasePath: string
  /** `DATABASE_URL`: the PostgreSQL store there instead of SQLite at `databasePath`; null when unset. */
  databaseUrl: string | null
  /** `DATABASE_POOL_SIZE`: connections to PostgreSQL each process keeps at most (default 10). */
  databasePoolSize: number
  /** `EMULATOR_URL`: an emulator already running there, shared with other servers, instead of one of our own. */
  emulatorUrl: string | null
  /** Signs the visitor cookie; unless `VISITOR_SECRET` is set, `main.ts` keeps a generated one next to the database. */
  visitorSecret: string | null
  /** Origins of other sites whose pages may call the API (`ALLOWED_ORIGINS`), e.g. `https://shop.example`. */
  allowedOrigins: string[]
}

/** A setting that keeps the server from starting, with a message for the person starting it. */
export class ConfigError extends Error {}

const SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{10,}$/
const PUBLISHABLE_KEY = /^pk_(test|live)_[A-Za-z0-9]{10,}$/
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=]{16,}$/

function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${name} must be a port number (0-65535), got "${raw}"`)
  return port
}

/**
 * `ALLOWED_ORIGINS`: origins separated by commas, each `scheme://host[:port]` with nothing after it,
 * exactly as a browser sends it in `Origin`.
 */
function readAllowedOrigins(env: NodeJS.ProcessEnv): string[] {
  const raw = env.ALLOWED_ORIGINS?.trim()
  if (!raw) return []
  return raw.split(',').map((entry) => {
    const given = entry.trim()
    let url: URL | null = null
    try {
      url = new URL(given)
    } catch {
      // reported below
    }
    const origin = url && /^https?:$/.test(url.protocol) ? url.origin : null
    if (origin === null || given.toLowerCase().replace(/\/$/, '') !== origin) {
      throw new ConfigError(
        `ALLOWED_ORIGINS has a malformed entry "${given}": each entry must be an origin such as https://shop.example or http://localhost:8080, with no path, separated by commas`,
      )
    }
    return origin
  })
}

/** `PUBLIC_URL`, checked and reduced to its origin; null when unset. */
function readPublicUrl(env: NodeJS.ProcessEnv): string | null {
  const given = env.PUBLIC_URL?.trim()
  if (!given) return null
  const problem = publicUrlProblem(given)
  if (problem) {
    // A user name or password is not repeated back: it may be a secret.
    const shown = problem === 'has a user name or password' ? '' : ` "${given}"`
    throw new ConfigError(
      `PUBLIC_URL${shown} ${problem}: it must be this server's own origin as browsers reach it, such as PUBLIC_URL=https://verify.example.com (scheme, host and optional port, nothing after)`,
    )
  }
  return new URL(given).origin
}

/** `DATABASE_URL`, `DATABASE_POOL_SIZE` and `EMULATOR_URL`, checked. */
function readSharedServices(env: NodeJS.ProcessEnv): Pick<ServerConfig, 'databaseUrl' | 'databasePoolSize' | 'emulatorUrl'> {
  const databaseUrl = env.DATABASE_URL?.trim() || null
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:5432/database')
  }
  const rawPool = env.DATABASE_POOL_SIZE?.trim()
  const databasePoolSize = rawPool ? Number(rawPool) : 10
  if (!Number.isInteger(databasePoolSize) || databasePoolSize < 1 || databasePoolSize > 1000) {
    throw new ConfigError(`DATABASE_POOL_SIZE must be a whole number of connections (1-1000), got "${rawPool}"`)
  }
  const emulatorUrl = env.EMULATOR_URL?.trim().replace(/\/$/, '') || null
  if (emulatorUrl !== null && !/^https?:\/\/[^/]+$/.test(emulatorUrl)) {
    throw new ConfigError(`EMULATOR_URL must be the emulator's origin, such as http://localhost:12111, got "${emulatorUrl}"`)
  }
  return {databaseUrl, databasePoolSize, emulatorUrl}
}

/**
 * The configuration from `env`, or a `ConfigError` saying what to fix. Without a secret key it runs
 * against the emulator; with one, the webhook secret and publishable key are required, because an
 * unsigned webhook must never be trusted, and so is `PUBLIC_URL`, because the server's own origin
 * decides which pages may call it and where the hosted page sends users back.
 */
export function readConfig(env: NodeJS.ProcessEnv, generateWebhookSecret: () => string): ServerConfig {
  const port = readPort(env, 'PORT', 4242)
  const publicUrl = readPublicUrl(env)
  const emulatorPort = readPort(env, 'EMULATOR_PORT', 12111)
  const databasePath = env.DATABASE_PATH || '.data/identity-verify.sqlite'
  const visitorSecret = env.VISITOR_SECRET || null
  const allowedOrigins = readAllowedOrigins(env)
  const shared = readSharedServices(env)
  if (visitorSecret !== null && visitorSecret.length < 32) throw new ConfigError('VISITOR_SECRET must be at least 32 characters long')
  const given = env.STRIPE_WEBHOOK_SECRET?.trim()
  const webhookSecrets = given ? given.split(',').map((secret) => secret.trim()) : []
  for (const secret of webhookSecrets) {
    if (!WEBHOOK_SECRET.test(secret)) {
      throw new ConfigError('STRIPE_WEBHOOK_SECRET is malformed: it must look like whsec_… (several may be separated by commas)')
    }
  }
  const secretKey = env.STRIPE_SECRET_KEY?.trim()
  if (!secretKey) {
    if (shared.emulatorUrl && webhookSecrets.length === 0) {
      throw new ConfigError('STRIPE_WEBHOOK_SECRET is required with EMULATOR_URL: set it to the secret the emulator signs with')
    }
    const publishableKey = env.STRIPE_PUBLISHABLE_KEY?.trim() || 'pk_test_emulator'
    return {
      mode: 'emulator',
      port,
      publicUrl: publicUrl ?? `http://localhost:${port}`,
      publicUrlSource: publicUrl ? 'environment' : 'default',
      emulatorPort,
      secretKey: 'sk_test_emulator',
      publishableKey,
      webhookSecrets: webhookSecrets.length ? webhookSecrets : [generateWebhookSecret()],
      webhookSecretSource: webhookSecrets.length ? 'environment' : 'generated',
      databasePath,
      visitorSecret,
      allowedOrigins,
      ...shared,
    }
  }
  if (!SECRET_KEY.test(secretKey)) throw new ConfigError('STRIPE_SECRET_KEY is malformed: it must look like sk_test_… or sk_live_…')
  if (webhookSecrets.length === 0) {
    throw new ConfigError(
      'STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: without it no webhook can be verified. ' +
        'Find it in the Stripe Dashboard (Developers → Webhooks) or in the output of `stripe listen`.',
    )
  }
  const publishableKey = env.STRIPE_PUBLISHABLE_KEY?.trim()
  if (!publishableKey) throw new ConfigError('STRIPE_PUBLISHABLE_KEY is required with STRIPE_SECRET_KEY')
  if (!PUBLISHABLE_KEY.test(publishableKey)) throw new ConfigError('STRIPE_PUBLISHABLE_KEY is malformed: it must look like pk_test_… or pk_live_…')
  const liveSecret = secretKey.includes('_live_')
  if (liveSecret !== publishableKey.startsWith('pk_live_')) {
    throw new ConfigError('STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY must both be test keys or both be live keys')
  }
  if (!publicUrl) {
    throw new ConfigError(
      "PUBLIC_URL is required with STRIPE_SECRET_KEY: set it to this server's own origin as browsers reach it, such as PUBLIC_URL=https://verify.example.com. " +
        'It is never taken from a request, whose Host header anyone can write.',
    )
  }
  return {
    mode: 'stripe',
    port,
    publicUrl,
    publicUrlSource: 'environment',
    emulatorPort,
    secretKey,
    publishableKey,
    webhookSecrets,
    webhookSecretSource: 'environment',
    databasePath,
    visitorSecret,
    allowedOrigins,
    ...shared,
  }
}
