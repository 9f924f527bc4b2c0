/** What the demo pages need to know from the server that serves them. */
export interface DemoOptions {
  /** Stripe publishable key given to the element. */
  publishableKey: string
  /** In emulator mode, the emulator's Stripe.js double (`http://localhost:12111/stripe.js`); null with real keys. */
  stripeJsUrl: string | null
  /** In emulator mode, the emulator's dashboard URL; null with real keys. */
  dashboardUrl: string | null
}
