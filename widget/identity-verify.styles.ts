import {unsafeCSS} from 'lit'

// The default accent, Stripe's blurple, gives white text a 4.7:1 contrast (WCAG AA asks 4.5:1).
// A constant, so nothing unsafe: `unsafeCSS` rather than the `css` tag, whose checks of interpolated
// values this file has no use for and the bundle has no room for.
/** The element's styles; sites restyle it with the custom properties or `::part(button)`. */
export const styles = unsafeCSS(/* css */ `
  :host {
    display: inline-block;
    font-family: var(--identity-verify-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.6em 1.2em;
    border: 0;
    border-radius: var(--identity-verify-radius, 6px);
    background: var(--identity-verify-accent, #635bff);
    color: var(--identity-verify-accent-text, #fff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--identity-verify-accent, #635bff);
    outline-offset: 2px;
  }
  :disabled {
    opacity: 0.6;
    cursor: default;
  }
  /* The spinner: a ring with a gap, turning (or still, for those who asked for less motion). */
  [aria-busy=true]:before {
    content: '';
    width: 0.8em;
    height: 0.8em;
    border: 2px solid;
    border-right-color: #0000;
    border-radius: 50%;
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      rotate: 1turn;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :before {
      animation: none !important;
    }
  }
  div:not(:empty) {
    margin-top: 0.5em;
  }
`)
