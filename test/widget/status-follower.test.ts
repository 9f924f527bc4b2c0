// The status follower: the one rule for what a status answer means, and the one schedule for asking.
import {followStatus, isSettled, meaningOf, type StatusMeaning} from '../../widget/status-follower.js'
import type {SessionStatusAnswer} from '../../protocol/wire.js'
import {deepEqual, equal} from './assert.js'

const answer = (status: SessionStatusAnswer['status'], code?: string): SessionStatusAnswer => ({
  id: 'vs_rule',
  status,
  last_error: code ? {code} : null,
})

/** Runs `test` with a clock whose waits pass at once; returns the waits asked for. */
async function withFastClock(test: () => Promise<void>): Promise<number[]> {
  const {setTimeout: realSetTimeout} = window
  const realNow = Date.now
  const waits: number[] = []
  let skipped = 0
  Date.now = () => realNow() + skipped
  window.setTimeout = ((handler: TimerHandler, ms = 0, ...rest: unknown[]) => {
    waits.push(ms)
    skipped += ms
    return realSetTimeout(handler, 0, ...rest)
  }) as typeof window.setTimeout
  try {
    await test()
  } finally {
    window.setTimeout = realSetTimeout
    Date.now = realNow
  }
  return waits
}

describe('what a status answer means', () => {
  it('takes verified and canceled as final, whenever they come', () => {
    for (const status of ['verified', 'canceled'] as const) {
      equal(meaningOf(answer(status)), status)
      equal(meaningOf(answer(status), 0), status)
      equal(isSettled(status), true)
    }
  })

  it('takes processing as still being checked', () => {
    equal(meaningOf(answer('processing')), 'processing')
    equal(isSettled('processing'), false)
  })

  it('takes requires_input with a last_error as needing the user again', () => {
    equal(meaningOf(answer('requires_input', 'document_expired')), 'requires_input')
    equal(meaningOf(answer('requires_input', 'document_expired'), 3000), 'requires_input')
    equal(isSettled('requires_input'), true)
  })

  it("takes a last_error in the first 3 s after submission as an earlier attempt's, still being checked", () => {
    equal(meaningOf(answer('requires_input', 'document_expired'), 0), 'checking')
    equal(meaningOf(answer('requires_input', 'document_expired'), 2999), 'checking')
  })

  it('takes requires_input without last_error as still being checked for 15 s after submission, then as waiting', () => {
    equal(meaningOf(answer('requires_input'), 0), 'checking')
    equal(meaningOf(answer('requires_input'), 14_999), 'checking')
    equal(meaningOf(answer('requires_input'), 15_000), 'waiting')
    equal(meaningOf(answer('requires_input')), 'waiting')
    for (const meaning of ['checking', 'waiting'] as StatusMeaning[]) equal(isSettled(meaning), false)
  })
})

describe('following a status', () => {
  it('asks after 0.5, 1, 2 and 4 s, then every 8 s, for two minutes', async () => {
    let asked = 0
    const waits = await withFastClock(() =>
      followStatus(() => {
        asked++
      }),
    )
    deepEqual(waits.slice(0, 6), [500, 1000, 2000, 4000, 8000, 8000])
    equal(asked, waits.length)
    const total = waits.reduce((sum, wait) => sum + wait, 0)
    equal(total - waits.at(-1)! < 120_000 && total >= 120_000, true, `asked over ${total} ms`)
  })

  it('stops once an answer settles it', async () => {
    let asked = 0
    await withFastClock(() => followStatus(async () => ++asked === 3))
    equal(asked, 3)
  })

  it('stops asking once its signal aborts', async () => {
    const controller = new AbortController()
    let asked = 0
    await withFastClock(() =>
      followStatus(() => {
        if (++asked === 2) controller.abort()
      }, controller.signal),
    )
    equal(asked, 2)
  })
})
