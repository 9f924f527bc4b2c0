import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {createLogger} from '../../../server/log/logger.js'
import {redactSecrets} from '../../../server/log/redact.js'

/** A logger whose lines are kept, parsed. */
function keptLogger(base?: Record<string, unknown>) {
  const lines: string[] = []
  const logger = createLogger((line) => lines.push(line), base)
  return {logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)}
}

describe('log lines', () => {
  it('are one JSON object each: time, level, message, the base fields, then the given ones', () => {
    const {logger, lines, entries} = keptLogger({component: 'emulator'})
    const before = Date.now()
    logger.info('webhook event recorded', {event: 'evt_1', redelivery: false})
    logger.warn('webhook refused')
    logger.error('failed', {error: new TypeError('boom')})
    assert.equal(lines.length, 3)
    const [recorded, refused, failed] = entries()
    assert.deepEqual(Object.keys(recorded!), ['time', 'level', 'msg', 'component', 'event', 'redelivery'])
    assert.deepEqual(
      {...recorded, time: undefined},
      {
        time: undefined,
        level: 'info',
        msg: 'webhook event recorded',
        component: 'emulator',
        event: 'evt_1',
        redelivery: false,
      },
    )
    const time = Date.parse(recorded!.time as string)
    assert.ok(time >= before && time <= Date.now(), `${String(recorded!.time)} is the time of the call`)
    assert.equal(recorded!.time, new Date(time).toISOString())
    assert.deepEqual(refused, {time: refused!.time, level: 'warn', msg: 'webhook refused', component: 'emulator'})
    assert.deepEqual(failed!.error, {name: 'TypeError', message: 'boom'})
  })

  it('have every kind of secret masked, wherever it stands', () => {
    const {logger, lines} = keptLogger()
    const secrets = [
      'vs_1PqRsTuVwXyZ_secret_live_AbCdEf123',
      'vi_1PqRsTuVwXyZ_secret_test_Xy_9',
      'sk_test_51HxYzAbCdEf',
      'sk_live_51HxYzAbCdEf',
      'rk_live_51HxYzAbCdEf',
      'whsec_Zm9vYmFy+/=baz',
    ]
    for (const secret of secrets) logger.info(`saw ${secret}.`, {field: `before ${secret}`, nested: {deep: [secret]}})
    for (const [index, line] of lines.entries()) {
      const secret = secrets[index]!
      assert.ok(!line.includes(secret), `${secret} is masked in ${line}`)
      assert.match(line, /\[(client secret|redacted)\]/)
    }
  })

  it('leave a text without a secret as it is, including ids that look like one', () => {
    for (const text of [
      '{"msg":"webhook event recorded","session":"vs_1PqRsTuVwXyZ","event":"evt_1"}',
      'sk_ alone, skip_test_x, a whsec without its underscore, desk_test_1',
      '',
    ]) {
      assert.equal(redactSecrets(text), text)
    }
    assert.equal(redactSecrets('key sk_test_abc and whsec_abc'), 'key sk_test_[redacted] and whsec_[redacted]')
    assert.equal(redactSecrets('vs_123_secret_456'), 'vs_[client secret]')
  })
})
