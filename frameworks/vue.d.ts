/**
 * `<identity-verify>` in Vue 3's templates, as vue-tsc checks them. `import 'identity-verify/vue'`
 * registers the element, as `import 'identity-verify'` does, and declares it to Vue's `GlobalComponents`;
 * `import type {} from 'identity-verify/vue'` only declares it. Vite's Vue plugin still needs
 * `template.compilerOptions.isCustomElement` to render it as an element rather than look for a component.
 *
 * vue-tsc reads a component's props from `$props` and its events from `$emit`, and names a prop in
 * camelCase whatever the case it has in a template: `publishable-key="…"` is checked as `publishableKey`.
 * Vue itself sets `publishable-key` as an attribute and `publishableKey` as the element's property, and
 * listens to `identity-verify-status` for `@identity-verify-status`.
 */
import type {AllowedComponentProps, EmitFn, HTMLAttributes, VNodeProps} from 'vue'
import type {IdentityVerifyElement, IdentityVerifyEventMap, IdentityVerifyObjectProperties, IdentityVerifyProperties} from 'identity-verify'

export * from 'identity-verify'

/** The element's attributes and object properties, as vue-tsc names props (in camelCase). */
export type IdentityVerifyProps = IdentityVerifyProperties & IdentityVerifyObjectProperties

/** `<identity-verify>` as a Vue component type: the element, with the props and events of its tag. */
export type IdentityVerifyComponent = new () => IdentityVerifyElement & {
  /** @deprecated For template type checking only: the element has no `$props`. */
  $props: HTMLAttributes & IdentityVerifyProps & VNodeProps & AllowedComponentProps
  /** @deprecated For template type checking only: the element has no `$emit`. */
  $emit: EmitFn<{[Type in keyof IdentityVerifyEventMap]: (event: IdentityVerifyEventMap[Type]) => void}>
}

declare module 'vue' {
  interface GlobalComponents {
    'identity-verify': IdentityVerifyComponent
  }
}
