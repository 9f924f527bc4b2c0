import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {startEmulator, type RunningEmulator} from '../../../emulator/index.js'
import {createStripeClient, silentLogger} from '../../../server/index.js'

describe('createStripeClient pointed at the emulator', () => {
  let emulator: RunningEmulator
  before(async () => {
    emulator = await startEmulator({port: 0, webhookSecret: 'whsec_client', webhookUrl: 'http://127.0.0.1:9/webhook', logger: silentLogger})
  })
  after(() => emulator.close())

  it('sends every request to emulatorUrl: a session created there is listed there', async () => {
    const stripe = createStripeClient({secretKey: 'sk_test_client', emulatorUrl: emulator.url, maxNetworkRetries: 0})
    const created = await stripe.identity.verificationSessions.create({type: 'document', client_reference_id: 'ada'})
    assert.match(created.client_secret ?? '', /^vs_\w+_secret_\w+$/)
    const listed = await stripe.identity.verificationSessions.list()
    assert.deepEqual(
      listed.data.map((session) => session.id),
      [created.id],
    )
  })

  it('still takes the former name, apiBase', async () => {
    const stripe = createStripeClient({secretKey: 'sk_test_client', apiBase: emulator.url, maxNetworkRetries: 0})
    assert.equal((await stripe.identity.verificationSessions.list()).object, 'list')
  })
})
