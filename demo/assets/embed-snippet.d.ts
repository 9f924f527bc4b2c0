// Types of embed-snippet.js, which the browser loads as is and the server imports.

/** What the snippet takes from the server that serves it: absolute URLs and its publishable key. */
export interface SnippetServer {
  /** The element's script, `https://verify.example/v/…/identity-verify.js`. */
  scriptSrc: string
  /** The route that creates a session, absolute. */
  endpoint: string
  /** The route that answers the visitor's latest session, absolute. */
  statusEndpoint: string
  publishableKey: string
  /** In emulator mode, the emulator's Stripe.js double; otherwise null or absent. */
  stripeJsUrl?: string | null
}

/** What the site owner chose. */
export interface SnippetChoices {
  /** The button text; empty for the element's own wording. */
  label: string
  /** A language of `LANGUAGES`, or empty for the page's language. */
  lang: string
  /** `#rrggbb`. */
  accent: string
  /** An absolute URL, or null to stay on the page. */
  returnUrl: string | null
}

export declare const DEFAULT_LABEL: string
export declare const DEFAULT_ACCENT: string
export declare const LANGUAGES: ReadonlyArray<readonly [lang: string, name: string]>

export declare function embedSnippet(server: SnippetServer, choices: SnippetChoices): string

export declare function readReturnUrl(typed: string): {url: string | null; error?: undefined} | {error: string; url?: undefined}

export declare const AA_CONTRAST: number
export declare function contrastRatio(a: string, b: string): number
export declare function labelColourOn(accent: string): '#000000' | '#ffffff'
export declare function accentReadability(accent: string): {label: '#000000' | '#ffffff'; ratio: number; message: string}
