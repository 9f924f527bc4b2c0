/**
 * `<identity-verify>` in Svelte 5's templates, as svelte-check checks them. `import 'identity-verify/svelte'`
 * registers the element, as `import 'identity-verify'` does, and declares its attributes to
 * `svelte/elements`; `import type {} from 'identity-verify/svelte'` only declares them.
 *
 * Svelte 5 sets a property where the element has a setter for it (`requestHeaders={…}`) and an attribute
 * elsewhere, and adds an event listener for each attribute named `on` + an event's type, as written:
 * `onidentity-verify-status={…}` listens to `identity-verify-status`.
 */
import type {HTMLAttributes} from 'svelte/elements'
import type {IdentityVerifyAttributes, IdentityVerifyElement, IdentityVerifyEventListeners, IdentityVerifyObjectProperties} from 'identity-verify'

export * from 'identity-verify'

/** The attributes of `<identity-verify>`: an HTML element's, its own, its object properties and its listeners. */
export type IdentityVerifyHTMLAttributes = HTMLAttributes<IdentityVerifyElement> & IdentityVerifyAttributes & IdentityVerifyObjectProperties & IdentityVerifyEventListeners

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'identity-verify': IdentityVerifyHTMLAttributes
  }
}
