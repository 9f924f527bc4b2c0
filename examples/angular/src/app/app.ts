import {Component, CUSTOM_ELEMENTS_SCHEMA, signal} from '@angular/core'
import type {IdentityVerifyErrorEvent, IdentityVerifyStatusEvent, StatusDetail} from 'identity-verify'

// Set at build time by `define` in angular.json (`ng build --define …` overrides them).
declare const IDENTITY_VERIFY_SERVER: string
declare const STRIPE_PUBLISHABLE_KEY: string

@Component({
  selector: 'app-root',
  // <identity-verify> is a custom element, not an Angular component.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Verify your identity</h1>
      <identity-verify
        [publishableKey]="publishableKey"
        [endpoint]="server + '/create-verification-session'"
        [statusEndpoint]="server + '/verification-session'"
        (identity-verify-status)="onStatus($event)"
        (identity-verify-error)="onError($event)"
      ></identity-verify>
      <p data-testid="status">{{ status() ? 'Status: ' + status() : 'Not verified yet' }}</p>
      @if (error()) {
        <p role="alert" data-testid="error">{{ error() }}</p>
      }
    </main>
  `,
})
export class App {
  protected readonly server = IDENTITY_VERIFY_SERVER
  protected readonly publishableKey = STRIPE_PUBLISHABLE_KEY
  protected readonly status = signal<StatusDetail['status'] | undefined>(undefined)
  protected readonly error = signal<string | undefined>(undefined)

  protected onStatus(event: IdentityVerifyStatusEvent): void {
    this.status.set(event.detail.status)
    this.error.set(undefined)
  }

  protected onError(event: IdentityVerifyErrorEvent): void {
    this.error.set(event.detail.message)
  }
}
