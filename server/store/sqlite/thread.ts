/**
 * The thread that owns the write connection of the SQLite store (started by `store-thread.ts`). It
 * answers each call by calling that write of its connection. While it waits for a lock or for the
 * disk, only the calls queued behind it wait; the server's event loop goes on. Events that arrive
 * during a commit are committed together in the next one (the store's group commit).
 */
import {parentPort, workerData} from 'node:worker_threads'
import type {SqliteConnection} from './connection.js'
import {openSqliteConnection} from './node-connection.js'
import {messageBatcher, type ThreadData, type Write, type WriteArgs, type WriteCall, type WriteReply, type WriteResult} from './store-thread.js'

const {path, options} = workerData as ThreadData
const port = parentPort!
const connection = openSqliteConnection(path, options)

/** The connection's writes by name, typed so that each call's arguments are those of its write. */
const writes: {[W in Write]: (...args: WriteArgs<W>) => WriteResult<W> | Promise<WriteResult<W>>} = {
  insertSession: (session) => connection.insertSession(session),
  recordEvent: (event) => connection.recordEvent(event),
  markEventHandled: (eventId) => connection.markEventHandled(eventId),
  takeCount: (key, windowEnd, max, at) => connection.takeCount(key, windowEnd, max, at),
  releaseCount: (key, windowEnd) => connection.releaseCount(key, windowEnd),
  claimAttempt: (userRef, seenSessionId) => connection.claimAttempt(userRef, seenSessionId),
  ping: () => connection.ping(),
  close: () => connection.close(),
} satisfies {[W in Write]: SqliteConnection[W]}

function run<W extends Write>({method, args}: WriteCall<W>): WriteResult<W> | Promise<WriteResult<W>> {
  return writes[method](...args)
}

function describe(error: unknown): WriteReply['error'] {
  if (!(error instanceof Error)) return {name: 'Error', message: String(error)}
  const {code} = error as {code?: unknown}
  return {name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined}
}

const reply = messageBatcher<WriteReply>((replies) => port.postMessage(replies))

async function answer(call: WriteCall): Promise<void> {
  try {
    reply({id: call.id, result: await run(call)})
  } catch (error) {
    reply({id: call.id, error: describe(error)})
  }
  // The answer to close goes out before the port closes.
  if (call.method === 'close') setImmediate(() => port.close())
}

port.on('message', (calls: WriteCall[]) => {
  for (const call of calls) void answer(call)
})
