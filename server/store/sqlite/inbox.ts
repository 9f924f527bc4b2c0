/**
 * The SQLite store's inbox: each webhook's event appended to a file of its own and synced before the
 * webhook is answered, then recorded in SQLite in batches that wait for no disk (see
 * `sqlite-writer.ts`). A synchronous write of a few hundred bytes in place costs a fraction of a
 * SQLite commit's: no b-tree pages, no WAL frames, no metadata.
 *
 * Two files of a fixed size (`<database>-inbox-0` and `-1`), written in turns: generation g goes to
 * file g % 2, from its start. A record is its payload's length, its generation and a CRC-32 of both,
 * then the payload; reading back stops at the first record that is not whole and of the generation
 * read, so a write torn by a power cut, or older records of the generation before last, end it. A
 * file is written again only once the events of its last generation are recorded and synced in
 * SQLite (`release`). A lock (`<database>-inbox-lock`, an SQLite file that one connection holds in
 * exclusive mode) keeps one process per inbox; the lock ends with its process, however it ends.
 */
import {closeSync, constants, existsSync, fstatSync, fsyncSync, openSync, readSync, rmSync, write, writeSync} from 'node:fs'
import {dirname} from 'node:path'
import {crc32} from 'node:zlib'
import Database from 'better-sqlite3'

/** A place in the inbox: the generation (written to file `generation % 2`) and a byte offset in that file. */
export interface InboxPosition {
  generation: number
  offset: number
}

/** A record read back, and the position just past it. */
export interface InboxEntry {
  payload: string
  end: InboxPosition
}

/** Each file's size: about 10,000 events, which the server records long before the other file fills. */
export const INBOX_FILE_BYTES = 4 * 2 ** 20
/** Length, generation, CRC-32: three little-endian 32-bit words. */
const HEADER_BYTES = 12

function checksum(generation: Buffer, payload: Uint8Array): number {
  return crc32(payload, crc32(generation))
}

/** Opens (creating and filling with zeros if needed) one inbox file of at least `bytes`. */
function openInboxFile(path: string, bytes: number): number {
  const created = !existsSync(path)
  // O_DSYNC: each write returns once its data is on disk.
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_DSYNC)
  const size = fstatSync(fd).size
  if (size < bytes) {
    // Written once, so that later writes land in place: their sync then has no size to record.
    const zeros = Buffer.alloc(Math.min(bytes - size, 2 ** 20))
    for (let at = size; at < bytes; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, bytes - at), at)
    fsyncSync(fd)
  }
  if (created) {
    const folder = openSync(dirname(path), 'r')
    try {
      fsyncSync(folder)
    } finally {
      closeSync(folder)
    }
  }
  return fd
}

/** The records of `generation` in the file `fd` of `size` bytes from `offset` on, up to the first that is not whole and of that generation. */
function readGeneration(fd: number, size: number, generation: number, offset: number): InboxEntry[] {
  const entries: InboxEntry[] = []
  const expected = Buffer.alloc(4)
  expected.writeUInt32LE(generation)
  const header = Buffer.alloc(HEADER_BYTES)
  for (let at = offset; at + HEADER_BYTES <= size; ) {
    readSync(fd, header, 0, HEADER_BYTES, at)
    const length = header.readUInt32LE(0)
    const end = at + HEADER_BYTES + length
    if (length === 0 || end > size || header.readUInt32LE(4) !== generation) break
    const payload = Buffer.alloc(length)
    readSync(fd, payload, 0, length, at + HEADER_BYTES)
    if (header.readUInt32LE(8) !== checksum(expected, payload)) break
    entries.push({payload: payload.toString('utf8'), end: {generation, offset: end}})
    at = end
  }
  return entries
}

interface Waiter {
  record: Buffer
  /** When a record not yet on disk is given up (`Date.now()` ms): it failed, and may still be written. */
  deadline: number
  resolve(end: InboxPosition): void
  reject(error: Error): void
  end?: InboxPosition
}

/** The inbox of one SQLite store; see the module's comment. */
export interface Inbox {
  /** The records from `from` on, in the order they were appended (what recording must catch up on). */
  readFrom(from: InboxPosition): InboxEntry[]
  /** Starts writing a new generation after `after` from the start of its file: everything before is recorded. */
  restartAfter(after: InboxPosition): InboxPosition
  /**
   * Appends a record; resolves with the position past it once it is on disk, or fails once
   * `timeoutMs` have passed (the record may still reach the disk: it is then recorded, or not, with
   * no harm, as its delivery failed and Stripe sends it again).
   */
  append(payload: string): Promise<InboxPosition>
  /** Everything before `position` is recorded and synced in SQLite: the files it fills may be written again. */
  release(position: InboxPosition): void
  /** Resolves once every record appended so far is on disk (or failed). */
  drain(): Promise<void>
  /** The error of the write that failed, after which nothing more is appended; null while none did. */
  failure(): Error | null
  /** Closes the files and the lock; `remove` also deletes the files (nothing in them is still needed). */
  close(remove: boolean): void
}

/** Whether this system writes synchronously (`O_DSYNC`): Windows does not, and has no inbox. */
export const SYNCHRONOUS_WRITES = constants.O_DSYNC !== undefined

/**
 * Opens the inbox of the SQLite database at `databasePath`, or answers null when another connection
 * (another process, or another store in this one) holds its lock, or the system has no synchronous
 * writes: that store then records every event before answering, as a store without an inbox does.
 */
export function openInbox(databasePath: string, {fileBytes = INBOX_FILE_BYTES, timeoutMs = 5000} = {}): Inbox | null {
  // Without synchronous writes there is no inbox: each event is recorded first.
  if (!SYNCHRONOUS_WRITES) return null
  const lockPath = `${databasePath}-inbox-lock`
  const lock = new Database(lockPath, {timeout: 0})
  try {
    lock.pragma('locking_mode = EXCLUSIVE')
    lock.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    lock.close()
    if ((error as {code?: string}).code === 'SQLITE_BUSY') return null
    throw error
  }
  const paths = [0, 1].map((file) => `${databasePath}-inbox-${file}`)
  const fds = paths.map((path) => openInboxFile(path, fileBytes))
  const sizes = fds.map((fd) => fstatSync(fd).size)

  let generation = 0
  let offset = 0
  /** The highest generation that may be written: its file's previous generation is recorded and synced. */
  let writable = 1
  let queued: Waiter[] = []
  /** The records being written, if any. */
  let writing: Waiter[] | null = null
  let scheduled = false
  let failure: Error | null = null
  let expiry: NodeJS.Timeout | undefined
  /** Set by `close`: what is left to do once the write running, if any, ends. */
  let closing: (() => void) | null = null
  const drained: (() => void)[] = []
  const generationBytes = Buffer.alloc(4)

  const timedOut = () => Object.assign(new Error(`The inbox did not write the event within ${timeoutMs} ms`), {code: 'store_timeout'})

  function fail(error: Error, waiters: Waiter[]): void {
    failure = error
    for (const waiter of [...waiters, ...(writing ?? []), ...queued]) waiter.reject(error)
    writing = null
    queued = []
    for (const done of drained.splice(0)) done()
  }

  function schedule(): void {
    if (scheduled) return
    scheduled = true
    setImmediate(flush)
  }

  /** Records waiting for a file to be released fail at their deadline, and are not written. */
  function expire(): void {
    expiry = undefined
    const now = Date.now()
    const kept = queued.filter((waiter) => waiter.deadline > now)
    for (const waiter of queued) if (waiter.deadline <= now) waiter.reject(timedOut())
    queued = kept
    if (queued.length > 0) expiry = setTimeout(expire, queued[0]!.deadline - now)
    else if (!writing) for (const done of drained.splice(0)) done()
  }

  /**
   * Writes the queued records, one write a file, on libuv's thread pool; the files are opened with
   * O_DSYNC, so a write ends once its data is on disk (a write and an fdatasync in one system call,
   * off this thread). The records are answered then. One batch at a time: the records appended
   * meanwhile go in the next.
   */
  function flush(): void {
    scheduled = false
    if (failure || writing) return
    const writes: {fd: number; start: number; chunks: Buffer[]}[] = []
    let current: (typeof writes)[number] | undefined
    let taken = 0
    for (const waiter of queued) {
      const {record} = waiter
      if (offset + record.length > sizes[generation % 2]!) {
        if (generation + 1 > writable) {
          // The other file still holds events not yet synced in SQLite.
          expiry ??= setTimeout(expire, Math.max(0, waiter.deadline - Date.now()))
          break
        }
        generation++
        offset = 0
        current = undefined
      }
      if (!current) writes.push((current = {fd: fds[generation % 2]!, start: offset, chunks: []}))
      generationBytes.writeUInt32LE(generation)
      record.writeUInt32LE(generation, 4)
      record.writeUInt32LE(checksum(generationBytes, record.subarray(HEADER_BYTES)), 8)
      current.chunks.push(record)
      offset += record.length
      waiter.end = {generation, offset}
      taken++
    }
    if (taken === 0) {
      if (queued.length === 0) for (const done of drained.splice(0)) done()
      return
    }
    const batch = queued.slice(0, taken)
    queued = queued.slice(taken)
    writing = batch
    // A disk that takes too long fails the deliveries waiting for it; the write itself goes on.
    const slow = setTimeout(() => {
      for (const waiter of batch) waiter.reject(timedOut())
    }, timeoutMs).unref()
    let left = writes.length
    let error: Error | null = null
    for (const {fd, start, chunks} of writes) {
      const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
      write(fd, data, 0, data.length, start, (err, bytes) => {
        error ??= err ?? (bytes === data.length ? null : new Error(`The inbox wrote ${bytes} of ${data.length} bytes`))
        if (--left > 0) return
        clearTimeout(slow)
        if (closing) return closing()
        writing = null
        if (error) return fail(error, batch)
        for (const waiter of batch) waiter.resolve(waiter.end!)
        flush()
      })
    }
  }

  return {
    readFrom(from) {
      const entries: InboxEntry[] = []
      for (let next = from; ; next = {generation: next.generation + 1, offset: 0}) {
        const file = next.generation % 2
        const read = readGeneration(fds[file]!, sizes[file]!, next.generation, next.offset)
        if (read.length === 0 && next !== from) return entries
        entries.push(...read)
      }
    },
    restartAfter(after) {
      generation = after.generation + 1
      offset = 0
      writable = generation + 1
      return {generation, offset}
    },
    append(payload) {
      if (failure) return Promise.reject(failure)
      const length = Buffer.byteLength(payload, 'utf8')
      if (HEADER_BYTES + length > Math.min(...sizes)) return Promise.reject(new RangeError(`An event of ${length} bytes does not fit in the inbox`))
      const record = Buffer.allocUnsafe(HEADER_BYTES + length)
      record.writeUInt32LE(length, 0)
      record.write(payload, HEADER_BYTES, 'utf8')
      return new Promise((resolve, reject) => {
        queued.push({record, deadline: Date.now() + timeoutMs, resolve, reject})
        schedule()
      })
    },
    release(position) {
      if (position.generation + 1 <= writable) return
      writable = position.generation + 1
      if (queued.length > 0) schedule()
    },
    failure: () => failure,
    drain() {
      if (failure || (queued.length === 0 && !writing)) return Promise.resolve()
      return new Promise((resolve) => drained.push(resolve))
    },
    close(remove) {
      clearTimeout(expiry)
      const inFlight = writing !== null
      fail(new TypeError('The database connection is not open'), [])
      closing = () => {
        for (const fd of fds) closeSync(fd)
        // Removed while the lock is held, and the lock file kept: a store that takes the lock next
        // finds either these files or none, and never one that is being removed.
        if (remove) for (const path of paths) rmSync(path, {force: true})
        lock.close()
      }
      // A write still running on the thread pool keeps its file open until it ends.
      if (!inFlight) closing()
    },
  }
}
