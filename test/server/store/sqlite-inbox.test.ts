import assert from 'node:assert/strict'
import {closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {openInbox, type Inbox} from '../../../server/store/sqlite/inbox.js'

const folder = mkdtempSync(join(tmpdir(), 'identity-verify-inbox-'))
after(() => rmSync(folder, {recursive: true, force: true}))

function open(name: string, options: {fileBytes?: number; timeoutMs?: number} = {}): Inbox {
  const inbox = openInbox(join(folder, name), {fileBytes: 4096, ...options})
  assert.ok(inbox, 'the inbox is free')
  return inbox
}

/** Flips one byte of a file. */
function flipByte(path: string, at: number): void {
  const fd = openSync(path, 'r+')
  const byte = Buffer.alloc(1)
  readSync(fd, byte, 0, 1, at)
  byte[0] = byte[0]! ^ 0xff
  writeSync(fd, byte, 0, 1, at)
  closeSync(fd)
}

describe('the SQLite store’s inbox', () => {
  it('reads back what it wrote, in order, from any position on', async () => {
    const inbox = open('order.sqlite')
    const start = inbox.restartAfter({generation: 0, offset: 0})
    const ends = await Promise.all(['one', 'two', 'three'].map((payload) => inbox.append(payload)))
    inbox.close(false)
    const again = open('order.sqlite')
    assert.deepEqual(again.readFrom(start).map((entry) => entry.payload), ['one', 'two', 'three'])
    assert.deepEqual(again.readFrom(ends[0]!).map((entry) => entry.payload), ['two', 'three'])
    assert.deepEqual(again.readFrom(ends[2]!), [])
    assert.deepEqual(
      again.readFrom(start).map((entry) => entry.end),
      ends,
    )
    again.close(true)
  })

  it('reads no record of an older generation left in a file written again', async () => {
    const inbox = open('generations.sqlite')
    inbox.restartAfter({generation: 0, offset: 0})
    await Promise.all(['old one', 'old two', 'old three'].map((payload) => inbox.append(payload)))
    // Generation 3 goes to the same file as generation 1, from its start.
    const start = inbox.restartAfter({generation: 2, offset: 0})
    assert.deepEqual(start, {generation: 3, offset: 0})
    await inbox.append('new')
    assert.deepEqual(inbox.readFrom(start).map((entry) => entry.payload), ['new'])
    inbox.close(true)
  })

  it('stops reading at a record torn by a power cut', async () => {
    const inbox = open('torn.sqlite')
    const start = inbox.restartAfter({generation: 0, offset: 0})
    const [first] = await Promise.all(['first', 'second', 'third'].map((payload) => inbox.append(payload)))
    inbox.close(false)
    // A byte of the second record's payload (12 bytes of header each) never reached the disk.
    flipByte(join(folder, 'torn.sqlite-inbox-1'), first!.offset + 12 + 2)
    const again = open('torn.sqlite')
    assert.deepEqual(again.readFrom(start).map((entry) => entry.payload), ['first'])
    again.close(true)
  })

  it('goes on in the other file, and writes over a file only once it is released', async () => {
    // Records of 12 + 40 bytes: four fit in a file of 256.
    const inbox = open('rotation.sqlite', {fileBytes: 256})
    const start = inbox.restartAfter({generation: 0, offset: 0})
    const payloads = Array.from({length: 12}, (_, i) => `event ${String(i).padStart(2, '0')} `.padEnd(40, '.'))
    const settled: number[] = []
    const appended = payloads.map((payload, i) => inbox.append(payload).then((end) => (settled.push(i), end)))
    const firstEight = await Promise.all(appended.slice(0, 8))
    assert.deepEqual(firstEight.map((end) => end.generation), [1, 1, 1, 1, 2, 2, 2, 2])
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(settled.length, 8, 'generation 3 waits: its file still holds generation 1')
    inbox.release({generation: 2, offset: 0})
    const rest = await Promise.all(appended.slice(8))
    assert.deepEqual(rest.map((end) => end.generation), [3, 3, 3, 3])
    assert.deepEqual(inbox.readFrom({generation: 2, offset: 0}).map((entry) => entry.payload), payloads.slice(4))
    // Generation 1 is gone: its file now holds generation 3.
    assert.deepEqual(inbox.readFrom(start).map((entry) => entry.payload), payloads.slice(4))
    inbox.close(true)
  })

  it('fails a record that waits for a file longer than its time-out', async () => {
    const inbox = open('timeout.sqlite', {fileBytes: 64, timeoutMs: 100})
    inbox.restartAfter({generation: 0, offset: 0})
    const payload = 'x'.repeat(40)
    await inbox.append(payload)
    await inbox.append(payload)
    const started = Date.now()
    await assert.rejects(inbox.append(payload), /within 100 ms/)
    assert.ok(Date.now() - started < 1000)
    await assert.rejects(inbox.append('y'.repeat(100)), /does not fit/)
    inbox.close(true)
  })

  it('belongs to one store at a time, until it is closed', () => {
    const first = open('lock.sqlite')
    assert.equal(openInbox(join(folder, 'lock.sqlite')), null)
    first.close(false)
    const second = open('lock.sqlite')
    second.close(true)
  })
})
