'use client'
import {useState} from 'react'
import {IdentityVerify, type IdentityVerifyErrorEvent, type IdentityVerifyStatusEvent, type StatusDetail} from 'identity-verify/react'

/** The element, pointed at an identity-verify server, and the status that server confirmed. */
export function VerifyIdentity({server, publishableKey, lang}: {server: string; publishableKey: string; lang?: string}) {
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
    <>
      <IdentityVerify
        publishableKey={publishableKey}
        endpoint={`${server}/create-verification-session`}
        statusEndpoint={`${server}/verification-session`}
        lang={lang}
        onStatus={onStatus}
        onError={onError}
      />
      <p data-testid="status">{status ? `Status: ${status}` : 'Not verified yet'}</p>
      {error && (
        <p role="alert" data-testid="error">
          {error}
        </p>
      )}
    </>
  )
}
