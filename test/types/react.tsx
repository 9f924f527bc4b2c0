// React 19: `<identity-verify>` in JSX and the `<IdentityVerify>` component, with `identity-verify/react`.
import {IdentityVerify} from 'identity-verify/react'
import {useRef} from 'react'
import type {IdentityVerifyElement, IdentityVerifyStatusEvent} from 'identity-verify'
import {known} from './known.js'

export function Verify() {
  const element = useRef<IdentityVerifyElement>(null)
  const onStatus = (event: IdentityVerifyStatusEvent) => console.log(event.detail.status, element.current?.state)
  return (
    <identity-verify
      ref={element}
      publishable-key="pk_test_123"
      endpoint="/create-verification-session"
      status-endpoint="/verification-session"
      return-url="/done"
      credentials="include"
      lang="fr"
      disabled={false}
      mode="redirect"
      name="identity"
      required
      analytics
      accent="#0a7"
      class="verify"
      className="verify"
      style={{marginBlock: '1rem'}}
      id="verify"
      requestBody={{plan: 'pro'}}
      requestHeaders={{'x-csrf-token': 'token'}}
      onidentity-verify-status={onStatus}
      onidentity-verify-error={(event) => console.log(known(event).detail.code, event.detail.message)}
      onidentity-verify-start={(event) => event.preventDefault()}
      onidentity-verify-open={(event) => console.log(known(event).detail.sessionId)}
      onidentity-verify-submitted={(event) => console.log(known(event).detail.sessionId)}
      onidentity-verify-cancel={(event) => console.log(known(event).detail.sessionId)}
      onClick={() => console.log('clicked')}
    >
      Verify your identity
    </identity-verify>
  )
}

export function Mistakes({onError}: {onError: (event: IdentityVerifyStatusEvent) => void}) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      {/* @ts-expect-error a publishable key is a string */}
      <identity-verify publishable-key={42} />
      {/* @ts-expect-error credentials is a fetch credentials mode */}
      <identity-verify credentials="sometimes" />
      {/* @ts-expect-error mode is auto, modal or redirect */}
      <identity-verify mode="popup" />
      {/* @ts-expect-error disabled is a boolean */}
      <identity-verify disabled="yes" />
      {/* @ts-expect-error a status event has no code */}
      <identity-verify onidentity-verify-status={(event) => event.detail.code} />
      {/* @ts-expect-error the error listener is given an error event */}
      <identity-verify onidentity-verify-error={onError} />
      {/* @ts-expect-error the ref is the element's */}
      <identity-verify ref={input} />
      {/* @ts-expect-error the headers are strings */}
      <identity-verify requestHeaders={{'x-retry': 1}} />
    </>
  )
}

// `<IdentityVerify>`: the element's properties by name, its object properties and a typed listener per event.
export function Component() {
  const element = useRef<IdentityVerifyElement>(null)
  const onStatus = (event: IdentityVerifyStatusEvent) => console.log(event.detail.status, event.detail.lastError?.code, element.current?.state)
  return (
    <IdentityVerify
      ref={element}
      publishableKey="pk_test_123"
      endpoint="/create-verification-session"
      statusEndpoint="/verification-session"
      returnUrl="/done"
      credentials="include"
      lang="fr"
      disabled={false}
      mode="redirect"
      name="identity"
      required
      analytics
      className="verify"
      style={{marginBlock: '1rem'}}
      id="verify"
      data-plan="pro"
      requestBody={{plan: 'pro'}}
      requestHeaders={{'x-csrf-token': 'token'}}
      onStatus={onStatus}
      onError={(event) => console.log(known(event).detail.code, event.detail.message, event.detail.status)}
      onStart={(event) => event.preventDefault()}
      onOpen={(event) => console.log(known(event).detail.sessionId)}
      onSubmitted={(event) => console.log(known(event).detail.sessionId)}
      onCancel={(event) => console.log(known(event).detail.sessionId)}
      onClick={(event) => console.log(event.currentTarget.state)}
    >
      Verify your identity
    </IdentityVerify>
  )
}

export function ComponentMistakes({onStatus}: {onStatus: (event: IdentityVerifyStatusEvent) => void}) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      {/* @ts-expect-error a publishable key is a string */}
      <IdentityVerify publishableKey={42} />
      {/* @ts-expect-error credentials is a fetch credentials mode */}
      <IdentityVerify credentials="sometimes" />
      {/* @ts-expect-error mode is auto, modal or redirect */}
      <IdentityVerify mode="popup" />
      {/* @ts-expect-error disabled is a boolean */}
      <IdentityVerify disabled="yes" />
      {/* @ts-expect-error a status event has no code */}
      <IdentityVerify onStatus={(event) => event.detail.code} />
      {/* @ts-expect-error the error listener is given an error event, not a status event */}
      <IdentityVerify onError={onStatus} />
      {/* @ts-expect-error the ref is the element's */}
      <IdentityVerify ref={input} />
      {/* @ts-expect-error the headers are strings */}
      <IdentityVerify requestHeaders={{'x-retry': 1}} />
      {/* @ts-expect-error `state` is the element's to say, not a prop */}
      <IdentityVerify state="verified" />
    </>
  )
}
