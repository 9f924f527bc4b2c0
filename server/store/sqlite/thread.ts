/**
 * The thread that owns the write connection of the SQLite store (started by `sqlite-writer.ts`). It
 * answers `{id, method, args}` by calling that method of the synchronous store, whatever its name,
 * so a method added to the store works through this thread unchanged. While it waits for a lock or
 * for the disk, only the calls queued behind it wait; the server's event loop goes on. Writes that
 * arrive during a commit are committed together in the next one (the store's group commit).
 */
import {parentPort, workerData} from 'node:worker_threads'
import {openSqliteStoreSync, type SqliteStoreOptions} from './connection.js'
import {messageBatcher, type WriterCall, type WriterReply} from './index.js'

const {path, options} = workerData as {path: string; options: SqliteStoreOptions}
const port = parentPort!
const store = openSqliteStoreSync(path, options) as unknown as Record<string, (...args: unknown[]) => unknown>

function describe(error: unknown): WriterReply['error'] {
  if (!(error instanceof Error)) return {name: 'Error', message: String(error)}
  const {code} = error as {code?: unknown}
  return {name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined}
}

const reply = messageBatcher<WriterReply>((replies) => port.postMessage(replies))

async function answer({id, method, args}: WriterCall): Promise<void> {
  try {
    const run = store[method]
    if (typeof run !== 'function') throw new TypeError(`The store has no method ${method}`)
    reply({id, result: await run.apply(store, args)})
  } catch (error) {
    reply({id, error: describe(error)})
  }
  // The answer to close goes out before the port closes.
  if (method === 'close') setImmediate(() => port.close())
}

port.on('message', (calls: WriterCall[]) => {
  for (const call of calls) void answer(call)
})
