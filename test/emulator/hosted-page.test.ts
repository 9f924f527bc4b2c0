import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {TEST_CASES} from '../../emulator/index.js'
import {emulatorForTests} from './emulator-fixture.js'

// Every session's `url` is a hosted verification page on the emulator's origin: the modal's test
// cases, as buttons of a plain form, each played on the session before going back to its return_url.

const t = emulatorForTests()

const choose = (url: string, outcome: string) => fetch(url, {method: 'POST', body: new URLSearchParams({outcome}), redirect: 'manual'})

describe('the hosted verification page', () => {
  it('is each session’s url, on the emulator’s origin, naming neither the session nor its secret', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', return_url: 'https://shop.example/back'})
    const url = session.url!
    assert.ok(url.startsWith(`${t.emulator.url}/start/test_`), url)
    assert.ok(!url.includes(session.id))
    assert.ok(!url.includes(session.client_secret!))
    const page = await fetch(url)
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer')
    const html = await page.text()
    for (const {outcome} of TEST_CASES) assert.match(html, new RegExp(`<button name="outcome" value="${outcome}" data-outcome="${outcome}"`))
  })

  it('plays the chosen test case and sends the user back to the return_url', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', return_url: 'https://shop.example/back?step=2'})
    const chosen = await choose(session.url!, 'document_expired')
    assert.equal(chosen.status, 303)
    assert.equal(chosen.headers.get('location'), 'https://shop.example/back?step=2')
    const after = await t.stripe.identity.verificationSessions.retrieve(session.id)
    assert.equal(after.status, 'requires_input')
    assert.equal(after.last_error?.code, 'document_expired')
  })

  it('gives a session back in requires_input a fresh url, with the same return_url, and refuses the used one', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', return_url: 'https://shop.example/again'})
    assert.equal((await choose(session.url!, 'document_unverified')).status, 303)
    const retry = await t.stripe.identity.verificationSessions.retrieve(session.id)
    assert.equal(retry.status, 'requires_input')
    assert.ok(retry.url?.startsWith(`${t.emulator.url}/start/test_`), retry.url ?? 'no url')
    assert.notEqual(retry.url, session.url)
    const used = await fetch(session.url!)
    assert.equal(used.status, 410)
    assert.match(await used.text(), /used already/)
    assert.equal((await choose(session.url!, 'verified')).status, 409)
    assert.equal((await t.stripe.identity.verificationSessions.retrieve(session.id)).status, 'requires_input', 'the used link played nothing')
    const chosen = await choose(retry.url!, 'verified')
    assert.equal(chosen.headers.get('location'), 'https://shop.example/again')
    assert.equal((await t.stripe.identity.verificationSessions.retrieve(session.id)).status, 'verified')
  })

  it('goes back without submitting for close, and refuses a second submission', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document', return_url: 'https://shop.example/back'})
    assert.equal((await choose(session.url!, 'close')).status, 303)
    assert.equal((await t.stripe.identity.verificationSessions.retrieve(session.id)).status, 'requires_input')
    assert.equal((await choose(session.url!, 'verified')).status, 303)
    assert.equal((await t.stripe.identity.verificationSessions.retrieve(session.id)).status, 'verified')
    assert.equal((await fetch(session.url!)).status, 410)
    assert.equal((await choose(session.url!, 'verified')).status, 409)
  })

  it('says it is done when the session has no return_url, and 404 for a link it never gave', async () => {
    const session = await t.stripe.identity.verificationSessions.create({type: 'document'})
    const chosen = await choose(session.url!, 'verified')
    assert.equal(chosen.status, 200)
    assert.match(await chosen.text(), /Done/)
    assert.equal((await fetch(`${t.emulator.url}/start/test_unknown`)).status, 404)
    assert.equal((await choose(`${t.emulator.url}/start/test_unknown`, 'verified')).status, 404)
  })
})
