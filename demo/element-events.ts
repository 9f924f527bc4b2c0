/** The DOM events `<identity-verify>` fires, in the order a visitor meets them. */
export const ELEMENT_EVENT_TYPES = [
  'identity-verify-start',
  'identity-verify-open',
  'identity-verify-submitted',
  'identity-verify-cancel',
  'identity-verify-error',
  'identity-verify-status',
] as const
export type ElementEventType = (typeof ELEMENT_EVENT_TYPES)[number]
