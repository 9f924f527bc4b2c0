#!/usr/bin/env node
/**
 * `identity-verify`, the package's command: `start` runs the standalone server (`npm start`'s
 * program), `emulator` the Stripe Identity emulator alone (`npm run emulator`'s). Both read the
 * environment as those scripts do. Before it loads a program it checks that the packages the program
 * imports are installed (they are the package's optional peers), so a site that lacks one is told
 * what to install rather than shown a stack trace.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {packageRoot} from '../server/element/package-root.js'
import {missingPackages, missingPackageOf} from './peers.js'

interface Manifest {
  version: string
  peerDependencies: Record<string, string>
}

/** What each command runs and the packages it needs besides the package's own dependencies. */
const COMMANDS = {
  start: {
    program: () => import('../standalone/main.js'),
    summary: 'the verification server with the demo pages; offline in emulator mode without STRIPE_SECRET_KEY',
    needs: (env: NodeJS.ProcessEnv) => ['hono', '@hono/node-server', 'stripe', 'valibot', 'better-sqlite3', ...(env.DATABASE_URL ? ['pg'] : [])],
  },
  emulator: {
    program: () => import('../emulator/main.js'),
    summary: 'the Stripe Identity emulator alone (Stripe API, Stripe.js double, dashboard)',
    needs: () => ['hono', '@hono/node-server', 'stripe'],
  },
} as const
type Command = keyof typeof COMMANDS

function usage(root: string): string {
  return [
    'Usage: identity-verify <command>',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, {summary}]) => `  ${name.padEnd(10)}${summary}`),
    '',
    'Options: --help, --version',
    '',
    'Environment of start:',
    '  PORT (4242), PUBLIC_URL, STRIPE_SECRET_KEY (unset: emulator mode), STRIPE_PUBLISHABLE_KEY,',
    '  STRIPE_WEBHOOK_SECRET, DATABASE_PATH (.data/identity-verify.sqlite) or DATABASE_URL (postgres://…),',
    '  ALLOWED_ORIGINS, VISITOR_SECRET, EMULATOR_PORT (12111), EMULATOR_URL',
    'Environment of emulator:',
    '  EMULATOR_PORT (12111), STRIPE_WEBHOOK_SECRET, WEBHOOK_URL (http://localhost:4242/webhook)',
    '',
    `Docs: ${join(root, 'README.md')}, or https://www.npmjs.com/package/identity-verify`,
    '',
  ].join('\n')
}

/** One line for the person who ran the command, and exit code 1. */
function fail(message: string): never {
  process.stderr.write(`identity-verify: ${message}\n`)
  process.exit(1)
}

/** The line naming the packages to install, with the command that installs the ranges this version supports. */
function installLine(command: Command, names: readonly string[], manifest: Manifest): string {
  const list = names.length === 1 ? `${names[0]} is` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are`
  const install = names.map((name) => `${name}@${manifest.peerDependencies[name] ?? 'latest'}`).join(' ')
  return `cannot ${command === 'start' ? 'start' : 'start the emulator'}: ${list} not installed; install with: npm install ${install}`
}

async function run(command: Command, manifest: Manifest): Promise<void> {
  const missing = await missingPackages(COMMANDS[command].needs(process.env))
  if (missing.length) fail(installLine(command, missing, manifest))
  try {
    await COMMANDS[command].program()
  } catch (error) {
    // A package only a path of the program loads (the PostgreSQL driver), missing after all.
    const name = missingPackageOf(error)
    if (name) fail(installLine(command, [name], manifest))
    throw error
  }
}

const root = packageRoot()
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest
const [argument] = process.argv.slice(2)
if (argument === undefined || argument === '--help' || argument === '-h' || argument === 'help') {
  process.stdout.write(usage(root))
} else if (argument === '--version' || argument === '-v') {
  process.stdout.write(`${manifest.version}\n`)
} else if (Object.hasOwn(COMMANDS, argument)) {
  await run(argument as Command, manifest)
} else {
  process.stderr.write(`identity-verify: unknown command '${argument}'\n\n${usage(root)}`)
  process.exit(1)
}
