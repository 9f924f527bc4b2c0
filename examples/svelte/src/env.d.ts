interface ImportMetaEnv {
  /** The identity-verify server's origin, e.g. `https://verify.example.com`. */
  readonly VITE_IDENTITY_VERIFY_SERVER?: string
  /** Your Stripe publishable key, `pk_test_…` or `pk_live_…`. */
  readonly VITE_STRIPE_PUBLISHABLE_KEY?: string
}
