/** Registers `<identity-verify>`; loading it again, or after another copy of the element, changes nothing. */
import {IdentityVerifyElement} from './identity-verify.js'

IdentityVerifyElement.define()

declare global {
  interface HTMLElementTagNameMap {
    'identity-verify': IdentityVerifyElement
  }
}
