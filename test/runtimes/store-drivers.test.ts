/**
 * The store contract suite on the SQLite store of each runtime's own driver, in that runtime: Bun's
 * `bun:sqlite` and Deno's `node:sqlite`. The store lives in a host program of the runtime
 * (harness/store-host-program.ts) and the suite calls it through a proxy over loopback HTTP.
 */
import {after, before, describe} from 'node:test'
import {packWidget, scriptCommand} from '../../harness/runtimes.js'
import {freePort, removeScratchDir, scratchDir, startServerProcess, type ProgramProcess} from '../../harness/server-process.js'
import {storeProxy} from '../../harness/store-host.js'
import {storeContract} from '../server/store/contract.js'

for (const runtime of ['bun', 'deno'] as const) {
  describe(`the SQLite store on ${runtime}`, () => {
    const folder = scratchDir(`identity-verify-${runtime}-store-`)
    let host: ProgramProcess
    let url = ''

    before(async () => {
      // Installs the runtimes when they are missing.
      packWidget()
      const port = await freePort()
      url = `http://127.0.0.1:${port}`
      host = await startServerProcess({
        entry: 'harness/store-host-program.ts',
        command: scriptCommand(runtime, 'harness/store-host-program.ts'),
        env: {PORT: String(port), STORE_HOST_DIR: folder, NO_COLOR: '1'},
        readyUrls: [`${url}/`],
        timeoutMs: 60_000,
      })
    })

    after(async () => {
      await host?.stop()
      removeScratchDir(folder)
    })

    storeContract(`${runtime} SQLite`, (name) => storeProxy(url, name))
  })
}
