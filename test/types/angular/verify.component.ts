// Angular: `<identity-verify>` in a component's template, its events typed without `$any`.
import {Component, CUSTOM_ELEMENTS_SCHEMA} from '@angular/core'
import 'identity-verify'
import type {IdentityVerifyErrorEvent, IdentityVerifyStatusEvent} from 'identity-verify'
import {known} from '../known.js'

@Component({
  selector: 'app-verify',
  // `<identity-verify>` is a custom element, not an Angular component.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <identity-verify
      publishable-key="pk_test_123"
      [endpoint]="endpoint"
      [attr.status-endpoint]="statusEndpoint"
      [requestHeaders]="headers"
      (identity-verify-status)="onStatus($event)"
      (identity-verify-error)="onError($event)"
      (identity-verify-open)="sessionId = known($event).detail.sessionId"
      (identity-verify-start)="$event.preventDefault()"
    >Verify your identity</identity-verify>
  `,
})
export class VerifyComponent {
  protected readonly known = known
  protected readonly endpoint = '/create-verification-session'
  protected readonly statusEndpoint = '/verification-session'
  protected readonly headers = {'x-csrf-token': 'token'}
  protected sessionId = ''

  protected onStatus(event: IdentityVerifyStatusEvent): void {
    console.log(event.detail.status, event.detail.lastError)
  }

  protected onError(event: IdentityVerifyErrorEvent): void {
    console.log(event.detail.code, event.detail.message)
  }
}
