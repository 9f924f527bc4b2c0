/**
 * The looks of the button once a user shows interest, and of the states after a click, in a module of
 * their own that the element loads on the first sign of intent (the button scrolled into view, the
 * pointer or focus on it) or with the first of those states: the hover, the focus ring, the spinner
 * while loading, and the mark before the
 * message of each outcome, a disc in the outcome's colour with a white sign (a clock while the
 * documents are checked, a tick once verified, "!" when they need another try, "×" for an error).
 * The marks are `aria-hidden`: the message says the same in words. The default colours have a
 * relative luminance between 0.16 and 0.19: 4.3:1 or more against a white page and a black one alike.
 */
export const sheet = new CSSStyleSheet()

sheet.replaceSync(/* css */ `
  /* Towards the colour the label is not (see identity-verify.styles.ts): hovering only adds to the label's contrast. */
  @supports (color: color-mix(in srgb, red, red)) {
    :enabled:hover {
      background: color-mix(in srgb, var(--identity-verify-accent, #635bff), var(--paper, #000) 25%);
    }
  }
  /* The page's own text colour around the message; two bands around the button, the label's colour inside. */
  :focus-visible {
    outline: 2px solid;
    outline-offset: 2px;
  }
  button:focus-visible {
    outline-color: var(--paper, #000);
    outline-offset: 0;
    border-color: var(--ink, #fff);
  }
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
  :host([state=submitted]) [part=mark] {
    color: var(--identity-verify-pending, #2e6be6);
  }
  :host([state=verified]) [part=mark] {
    color: var(--identity-verify-success, #168a3c);
  }
  :host([state=requires-input]) [part=mark] {
    color: var(--identity-verify-warning, #b25e09);
  }
  :host([state=error]) [part=mark] {
    color: var(--identity-verify-error, #d92d20);
  }
  :host(:is([state=submitted], [state=verified], [state=requires-input], [state=error])) [part=mark] {
    display: inline-block;
    position: relative;
    width: 1.1em;
    height: 1.1em;
    margin-inline-end: 0.4em;
    border-radius: 50%;
    background: currentColor;
    vertical-align: -0.2em;
  }
  [part=mark]:before,
  [part=mark]:after {
    position: absolute;
    left: 0.49em;
    width: 0.12em;
    background: #fff;
  }
  /* A clock's hands. */
  :host([state=submitted]) [part=mark]:before {
    content: '';
    top: 0.2em;
    height: 0.42em;
  }
  :host([state=submitted]) [part=mark]:after {
    content: '';
    top: 0.5em;
    width: 0.32em;
    height: 0.12em;
  }
  /* A tick. */
  :host([state=verified]) [part=mark]:after {
    content: '';
    left: 0.4em;
    top: 0.2em;
    width: 0.24em;
    height: 0.5em;
    border: solid #fff;
    border-width: 0 0.14em 0.14em 0;
    background: none;
    rotate: 45deg;
  }
  /* "!" */
  :host([state=requires-input]) [part=mark]:before {
    content: '';
    top: 0.2em;
    height: 0.45em;
  }
  :host([state=requires-input]) [part=mark]:after {
    content: '';
    top: 0.75em;
    height: 0.13em;
  }
  /* "×" */
  :host([state=error]) [part=mark]:before,
  :host([state=error]) [part=mark]:after {
    content: '';
    top: 0.25em;
    height: 0.6em;
    rotate: 45deg;
  }
  :host([state=error]) [part=mark]:after {
    rotate: -45deg;
  }
`)
