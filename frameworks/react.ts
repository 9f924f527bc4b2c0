'use client'
/**
 * `identity-verify/react`: `<IdentityVerify>`, the element as a React 19 component that survives server
 * rendering, and the props of `<identity-verify>` in JSX for those who write the tag itself
 * (`import type {} from 'identity-verify/react'`).
 *
 * Written here rather than with `@lit/react`, which sets an element's properties only in an effect after
 * hydration: its server HTML would be a bare `<identity-verify>`, and the element would connect without
 * its `status-endpoint`, so a returning visitor's status would never be asked. This component renders
 * the attributes on the server, and on the client attaches its listeners and only then registers the
 * element: React 19 attaches no listener of a custom element it hydrates (react/react#35446), and an element
 * registered before hydration would set its `state` attribute under React's comparison and could find a
 * returning visitor's status before anyone listens.
 */
import {createElement, useImperativeHandle, useLayoutEffect, useRef, type DetailedHTMLProps, type HTMLAttributes, type ReactElement, type Ref} from 'react'
import type {PropertyDeclarations} from 'lit'
import {
  IdentityVerifyElement,
  type IdentityVerifyAttributes,
  type IdentityVerifyEventListeners,
  type IdentityVerifyEventMap,
  type IdentityVerifyObjectProperties,
  type IdentityVerifyProperties,
} from '../widget/identity-verify.js'

export type * from '../widget/index.js'

/** The component's prop for each event: `on` + what happened. */
const EVENT_PROPS = {
  'identity-verify-start': 'onStart',
  'identity-verify-open': 'onOpen',
  'identity-verify-submitted': 'onSubmitted',
  'identity-verify-cancel': 'onCancel',
  'identity-verify-error': 'onError',
  'identity-verify-status': 'onStatus',
} as const satisfies {[Type in keyof IdentityVerifyEventMap]: `on${string}`}

/** A listener per event, given the element's typed event: `onStatus(event: IdentityVerifyStatusEvent)`. */
export type IdentityVerifyEventProps = {
  -readonly [Type in keyof typeof EVENT_PROPS as (typeof EVENT_PROPS)[Type]]?: (event: IdentityVerifyEventMap[Type]) => void
}

/** The props of `<IdentityVerify>`: an HTML element's, the element's properties by name (`publishableKey`, `statusEndpoint`…), its object properties and a listener per event. */
export type IdentityVerifyProps = Omit<HTMLAttributes<IdentityVerifyElement>, keyof IdentityVerifyProperties | keyof IdentityVerifyEventProps> &
  IdentityVerifyProperties &
  IdentityVerifyObjectProperties &
  IdentityVerifyEventProps & {
    /** The element itself, as `useRef<IdentityVerifyElement>(null)` holds it. */
    ref?: Ref<IdentityVerifyElement>
  }

/** The attribute of each property that has one (`publishableKey` → `publishable-key`), read from the element's own declarations. */
const ATTRIBUTES = new Map(
  Object.entries(IdentityVerifyElement.properties as PropertyDeclarations).flatMap(([property, {attribute = true}]) =>
    attribute === false ? [] : [[property, attribute === true ? property.toLowerCase() : attribute] as const],
  ),
)

const EVENT_OF_PROP = new Map(Object.entries(EVENT_PROPS).map(([type, prop]) => [prop as string, type]))

/**
 * `<identity-verify>` with its attributes rendered on the server, and its listeners attached on the
 * client before the element registers, so that `onStatus` hears a returning visitor's status too.
 */
export function IdentityVerify({ref, requestBody, requestHeaders, ...props}: IdentityVerifyProps): ReactElement {
  const element = useRef<IdentityVerifyElement>(null)
  useImperativeHandle(ref, () => element.current!, [])

  const attributes: Record<string, unknown> = {}
  const listeners: IdentityVerifyEventProps = {}
  for (const [name, value] of Object.entries(props)) {
    if (EVENT_OF_PROP.has(name)) listeners[name as keyof IdentityVerifyEventProps] = value
    else attributes[ATTRIBUTES.get(name) ?? name] = value
  }
  // The listeners of the latest render, which the element's listeners call.
  const latest = useRef(listeners)
  useLayoutEffect(() => {
    latest.current = listeners
  })

  // Set before the element registers, Lit applies them at its first update, just after it connects:
  // the status it asks on connect goes without `requestHeaders`, as for any page that sets them early.
  useLayoutEffect(() => {
    if (requestBody !== undefined) element.current!.requestBody = requestBody
    if (requestHeaders !== undefined) element.current!.requestHeaders = requestHeaders
  }, [requestBody, requestHeaders])

  useLayoutEffect(() => {
    const node = element.current!
    const added = Object.entries(EVENT_PROPS).map(([type, prop]) => {
      const listener = (event: Event) => latest.current[prop]?.(event as never)
      node.addEventListener(type, listener)
      return () => node.removeEventListener(type, listener)
    })
    IdentityVerifyElement.define()
    return () => added.forEach((remove) => remove())
  }, [])

  // The element sets its own attributes (`state`, a reflected `lang`) wherever it registered before
  // hydration (a script tag, `import 'identity-verify'`): they are its, not a mismatch.
  return createElement('identity-verify', {...attributes, ref: element, suppressHydrationWarning: true})
}

/**
 * The props of `<identity-verify>` as a tag in React 19's JSX: an HTML element's, its attributes, its
 * object properties, and a listener per event named `on` + its type as written
 * (`onidentity-verify-status`), React 19's rule for a custom element's events; React attaches those
 * when it creates the element, not when it hydrates server HTML (use `<IdentityVerify>` there).
 */
export interface IdentityVerifyElementProps
  extends DetailedHTMLProps<HTMLAttributes<IdentityVerifyElement>, IdentityVerifyElement>, IdentityVerifyAttributes, IdentityVerifyObjectProperties, IdentityVerifyEventListeners {
  /** React 19 sets `class` on a custom element as it is, like `className`. */
  class?: string
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React declares its JSX types in a namespace, which only a namespace extends
  namespace JSX {
    interface IntrinsicElements {
      'identity-verify': IdentityVerifyElementProps
    }
  }
}
