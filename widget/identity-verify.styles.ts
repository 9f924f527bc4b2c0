import {unsafeCSS} from 'lit'

// The label is black or white, whichever reads on the accent: the accent's relative luminance (WCAG's,
// from its linear sRGB) against 0.179, where both give the same contrast, so the one picked reaches
// 4.58:1 at least. `--paper` is the other of the two, the focus ring's outer band: with the label's
// colour as its inner band, the ring has a band at 3:1 or more against any accent and any page.
// Browsers without relative colours keep white on the accent, and a white-and-black ring (the fallbacks
// of `var(--ink)` and `var(--paper)`, which they leave undefined). The ring and
// the hover load with the first sign of intent (intent-styles.ts), which comes before either.
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
    border: 2px solid #0000;
    border-radius: var(--identity-verify-radius, 6px);
    background: var(--identity-verify-accent, #635bff);
    color: var(--identity-verify-accent-text, var(--ink, #fff));
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  @supports (color: rgb(from red r g b)) {
    button {
      --ink: color(from var(--identity-verify-accent, #635bff) srgb-linear clamp(0, (0.179 - 0.2126*r - 0.7152*g - 0.0722*b)*1e5, 1) clamp(0, (0.179 - 0.2126*r - 0.7152*g - 0.0722*b)*1e5, 1) clamp(0, (0.179 - 0.2126*r - 0.7152*g - 0.0722*b)*1e5, 1));
      --paper: color(from var(--ink) srgb-linear calc(1 - r) calc(1 - g) calc(1 - b));
    }
  }
  /* In the page's text colour, which reads on the page, rather than a faded accent, which may not. */
  :disabled {
    border: 2px dashed;
    background: none;
    color: inherit;
    cursor: default;
  }
  div:not(:empty) {
    margin-top: 0.5em;
  }
`)
