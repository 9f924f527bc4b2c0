// The typings of frameworks/ for React, Vue and Svelte templates are built on two declarations of the
// element's; these tests hold those declarations to what the element does.
import {IdentityVerifyElement, type IdentityVerifyAttributes, type IdentityVerifyObjectProperties} from '../../widget/identity-verify.js'
import {deepEqual, ok} from './assert.js'

// The declared names, each once: a name missing here, or not declared, is a type error.
const ATTRIBUTES: Record<keyof IdentityVerifyAttributes, true> = {
  'publishable-key': true,
  endpoint: true,
  'status-endpoint': true,
  'return-url': true,
  credentials: true,
  lang: true,
  disabled: true,
  mode: true,
  name: true,
  required: true,
  analytics: true,
  accent: true,
  prefetch: true,
}
const OBJECT_PROPERTIES: Record<keyof IdentityVerifyObjectProperties, true> = {requestBody: true, requestHeaders: true}

describe('the declarations the framework typings are built on', () => {
  it('declare exactly the attributes the element observes', () => {
    deepEqual(Object.keys(ATTRIBUTES).sort(), [...IdentityVerifyElement.observedAttributes].sort())
  })

  it('declare every public property that has no attribute as a property to set', () => {
    const withoutAttribute = [...IdentityVerifyElement.elementProperties]
      .filter(([name, options]) => options.attribute === false && !String(name).startsWith('_'))
      .map(([name]) => name)
    deepEqual(withoutAttribute.sort(), Object.keys(OBJECT_PROPERTIES).sort())
  })

  it('have a setter for each such property, which Svelte looks for before it sets a property rather than an attribute', () => {
    for (const name of Object.keys(OBJECT_PROPERTIES)) {
      let prototype: object | null = IdentityVerifyElement.prototype
      while (prototype && !Object.getOwnPropertyDescriptor(prototype, name)?.set) prototype = Object.getPrototypeOf(prototype)
      ok(prototype, `${name} has a setter`)
    }
  })
})
