import {useState} from 'react'
import 'identity-verify'
import type {} from 'identity-verify/react'
import type {IdentityVerifyErrorEvent, IdentityVerifyStatusEvent, StatusDetail} from 'identity-verify'

const server = import.meta.env.VITE_IDENTITY_VERIFY_SERVER ?? 'http://localhost:4242'
const publishableKey = import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY ?? 'pk_test_emulator'
// `?lang=fr` shows the element's own texts in French; without it, the page's language is used.
const lang = new URLSearchParams(location.search).get('lang') ?? undefined

export function App() {
  const [status, setStatus] = useState<StatusDetail['status']>()
  const [error, setError] = useState<string>()

  function onStatus(event: IdentityVerifyStatusEvent) {
    setStatus(event.detail.status)
    setError(undefined)
  }

  function onError(event: IdentityVerifyErrorEvent) {
    setError(event.detail.message)
  }

  return (
    <main>
      <h1>Verify your identity</h1>
      <identity-verify
        publishable-key={publishableKey}
        endpoint={`${server}/create-verification-session`}
        status-endpoint={`${server}/verification-session`}
        lang={lang}
        onidentity-verify-status={onStatus}
        onidentity-verify-error={onError}
      />
      <p data-testid="status">{status ? `Status: ${status}` : 'Not verified yet'}</p>
      {error && (
        <p role="alert" data-testid="error">
          {error}
        </p>
      )}
    </main>
  )
}
