/**
 * The store contract against the SQLite store on the Durable Object driver, in workerd (`wrangler
 * dev` of test/runtimes/store-worker): each store an object of its own, its calls answered by the
 * store host over loopback HTTP.
 */
import {after, before} from 'node:test'
import {storeProxy} from '../../harness/store-host.js'
import {WRANGLER_ENV, installRuntimeTools, runtimeBin} from '../../harness/runtimes.js'
import {freePort, scratchDir, startServerProcess, type ProgramProcess} from '../../harness/server-process.js'
import {storeContract} from '../server/store/contract.js'

let worker: ProgramProcess
let url: string

before(async () => {
  installRuntimeTools()
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  const config = 'test/runtimes/store-worker/wrangler.jsonc'
  worker = await startServerProcess({
    entry: 'test/runtimes/store-worker/worker.ts',
    command: [
      runtimeBin('wrangler'),
      'dev',
      '-c',
      config,
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--show-interactive-dev-session=false',
      '--persist-to',
      scratchDir('identity-verify-contract-'),
    ],
    env: WRANGLER_ENV,
    readyUrls: [`${url}/`],
    timeoutMs: 90_000,
  })
})

after(() => worker?.stop())

storeContract('Durable Object SQLite (workerd)', (name) => storeProxy(url, name))
