import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import Stripe from 'stripe'
import {isPossibleApiVersion} from '../../emulator/api-version.js'

const today = new Date('2026-12-05T10:00:00Z')

describe('which Stripe-Version the emulator takes for one of Stripe’s', () => {
  it('takes the version stripe-node pins, whatever the date', () => {
    assert.equal(isPossibleApiVersion(Stripe.API_VERSION, new Date('2000-01-01T00:00:00Z')), true)
  })

  it('takes a real date from Stripe’s first version to today, with a release train from acacia on', () => {
    for (const version of ['2011-01-01', '2020-08-27', '2024-02-29', '2024-09-30.acacia', '2025-03-31.basil', '2026-12-05', '2026-12-05.endive']) {
      assert.equal(isPossibleApiVersion(version, today), true, version)
    }
  })

  it('refuses a date that does not exist, one before Stripe’s first version or after today, and any other shape', () => {
    const refused = [
      '1999-13-45',
      '2023-02-29',
      '2024-04-31',
      '2010-12-31',
      '2026-12-06',
      '2024-06-20.acacia',
      '2025-03-31.Basil',
      '2025-03-31.',
      '2025-03-31.basil.x',
      '20240620',
      ' 2024-06-20',
      '',
    ]
    for (const version of refused) assert.equal(isPossibleApiVersion(version, today), false, JSON.stringify(version))
  })
})
