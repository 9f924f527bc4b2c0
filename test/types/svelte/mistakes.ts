// What svelte-check holds `<identity-verify …>` to: its entry in svelte/elements.
import type {} from 'identity-verify/svelte'
import type {SvelteHTMLElements} from 'svelte/elements'
import type {IdentityVerifyStatusEvent} from 'identity-verify'

type Attributes = SvelteHTMLElements['identity-verify']
const onError = (event: IdentityVerifyStatusEvent) => console.log(event)

export const mistakes: Attributes[] = [
  // @ts-expect-error a publishable key is a string
  {'publishable-key': 42},
  // @ts-expect-error credentials is a fetch credentials mode
  {credentials: 'sometimes'},
  // @ts-expect-error mode is auto, modal or redirect
  {mode: 'popup'},
  // @ts-expect-error disabled is a boolean
  {disabled: 'yes'},
  // @ts-expect-error a status event has no code
  {'onidentity-verify-status': (event) => event.detail.code},
  // @ts-expect-error the error listener is given an error event
  {'onidentity-verify-error': onError},
  // @ts-expect-error the headers are strings
  {requestHeaders: {'x-retry': 1}},
]
