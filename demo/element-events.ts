import type {} from '../widget/events.js'

/** The names of the DOM events `<identity-verify>` fires, taken from the element's own event map. */
export type ElementEventType = Extract<keyof GlobalEventHandlersEventMap, `identity-verify-${string}`>

/**
 * Each event in a site owner's words. Keyed by the element's event map, so an event added to the
 * element cannot be left out of the demo's log or its embed guide.
 */
export const ELEMENT_EVENTS: Record<ElementEventType, {when: string; detail: string}> = {
  'identity-verify-start': {
    when: 'The visitor clicked, before anything is sent. Call preventDefault() to stop.',
    detail: '{}',
  },
  'identity-verify-open': {when: 'Stripe’s verification window opened.', detail: '{sessionId}'},
  'identity-verify-submitted': {when: 'The visitor sent their documents.', detail: '{sessionId}'},
  'identity-verify-cancel': {when: 'The visitor closed the window without sending.', detail: '{sessionId}'},
  'identity-verify-error': {
    when: 'Something went wrong, or the visitor could not continue.',
    detail: '{code, message, sessionId?, status?}',
  },
  'identity-verify-status': {
    when: 'With status-endpoint: the status your server confirmed changed.',
    detail: '{sessionId, status, lastError}',
  },
}

/** The event names, in the order a visitor meets them. */
export const ELEMENT_EVENT_TYPES = Object.keys(ELEMENT_EVENTS) as ElementEventType[]
