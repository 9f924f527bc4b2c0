/**
 * `<identity-verify>` in React 19's JSX. `import 'identity-verify/react'` registers the element, as
 * `import 'identity-verify'` does, and declares its props; `import type {} from 'identity-verify/react'`
 * only declares them.
 *
 * React 19 sets a prop the element has as a property and any other as an attribute, and adds an event
 * listener for each function prop named `on` + an event's type, as written: `onidentity-verify-status`
 * listens to `identity-verify-status`.
 */
import type {DetailedHTMLProps, HTMLAttributes} from 'react'
import type {IdentityVerifyAttributes, IdentityVerifyElement, IdentityVerifyEventListeners, IdentityVerifyObjectProperties} from 'identity-verify'

export * from 'identity-verify'

/** The props of `<identity-verify>`: an HTML element's, its attributes, its object properties and its listeners. */
export interface IdentityVerifyProps
  extends DetailedHTMLProps<HTMLAttributes<IdentityVerifyElement>, IdentityVerifyElement>, IdentityVerifyAttributes, IdentityVerifyObjectProperties, IdentityVerifyEventListeners {
  /** React 19 sets `class` on a custom element as it is, like `className`. */
  class?: string
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'identity-verify': IdentityVerifyProps
    }
  }
}
