import {STRIPE_JS_DOUBLE_PATH} from '../protocol/wire.js'

/** What the demo pages need to know from the server that serves them. */
export interface DemoOptions {
  /** The server's own origin (`PUBLIC_URL`), for the snippets pasted on other sites; never read from a request. */
  publicUrl: string
  /** Stripe publishable key given to the element. */
  publishableKey: string
  /**
   * Path of the element's script on this server, for snippets pasted on other sites: a versioned URL
   * whose content never changes (`/v/3fa9c2e1b7d0/identity-verify.js`), so browsers may cache it for good.
   */
  scriptPath: string
  /** In emulator mode, the emulator's Stripe.js double (`http://localhost:12111/stripe.js`); null with real keys. */
  stripeJsUrl: string | null
  /** In emulator mode, the emulator's dashboard URL; null with real keys. */
  dashboardUrl: string | null
}

/**
 * The options of a server's pages, whatever runs it (`npm start` or another runtime): `emulatorUrl` is
 * where browsers reach the emulator in emulator mode (its Stripe.js double and dashboard), null with real keys.
 */
export function demoOptions(server: {publicUrl: string; publishableKey: string; scriptPath: string; emulatorUrl: string | null}): DemoOptions {
  const {publicUrl, publishableKey, scriptPath, emulatorUrl} = server
  return {
    publicUrl,
    publishableKey,
    scriptPath,
    stripeJsUrl: emulatorUrl && emulatorUrl + STRIPE_JS_DOUBLE_PATH,
    dashboardUrl: emulatorUrl && `${emulatorUrl}/dashboard`,
  }
}
