// Plain TypeScript: the tag and the events, known to the DOM's own types once the element is imported.
import 'identity-verify'
import type {IdentityVerifyElement, IdentityVerifyEventMap, IdentityVerifyStatusEvent} from 'identity-verify'
import {known} from './known.js'

const element: IdentityVerifyElement = document.createElement('identity-verify')
element.publishableKey = 'pk_test_123'
element.requestHeaders = {'x-csrf-token': 'token'}
document.querySelector('identity-verify')?.start()

element.addEventListener('identity-verify-status', (event) => {
  const status: IdentityVerifyStatusEvent['detail']['status'] = known(event).detail.status
  console.log(status, event.detail.lastError?.code)
})
document.addEventListener('identity-verify-error', (event) => console.log(known(event).detail.code, event.detail.message))
element.addEventListener('identity-verify-start', (event) => event.preventDefault())

// @ts-expect-error a status event has no code
element.addEventListener('identity-verify-status', (event) => event.detail.code)
// @ts-expect-error the state is read-only
element.state = 'verified'
// @ts-expect-error credentials is a fetch credentials mode
element.credentials = 'sometimes'

/** The element's event map is the DOM's, for every `identity-verify-*` type, both ways. */
type DomEvents = Extract<keyof GlobalEventHandlersEventMap, `identity-verify-${string}`>
const sameTypes: [DomEvents, keyof IdentityVerifyEventMap] extends [keyof IdentityVerifyEventMap, DomEvents] ? true : false = true
console.log(sameTypes)

// @ts-expect-error `known` itself refuses `any`
known(JSON.parse('{}'))
