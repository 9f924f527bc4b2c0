import {html} from 'hono/html'
import type Stripe from 'stripe'
import type {VerificationStatus} from '../../protocol/verification-status.js'
import type {StatusMeaning} from '../../widget/status-follower.js'
import {layout, type Markup} from '../layout.js'
import type {DemoOptions} from '../options.js'

type LastErrorCode = Stripe.Identity.VerificationSession.LastError.Code

/** What the page says for a state: a heading, a sentence, and whether to offer another attempt. */
interface StatusCopy {
  title: string
  text: string
  retry?: boolean
}

// Typed by the state machine, so a new status cannot be added without saying what the page shows.
const STATUS_COPY: Record<VerificationStatus, StatusCopy> = {
  processing: {
    title: 'Checking your document',
    text: 'Stripe is checking your document. This usually takes less than a minute; you can leave this page and come back.',
  },
  verified: {
    title: 'You’re verified',
    text: 'Thanks! Your identity is confirmed and payouts to Birch & Clay Ceramics are switched on.',
  },
  requires_input: {
    title: 'We couldn’t verify you',
    text: 'Stripe could not confirm your identity.',
    retry: true,
  },
  canceled: {
    title: 'This verification was canceled',
    text: 'Start a new one from your seller onboarding.',
  },
}

// States of the page that are not statuses of a session: what the status follower (which
// /demo/confirmation.js uses) makes of an answer, and answers without a session.
const PAGE_COPY = {
  checking: {title: 'Checking your verification…', text: 'Asking the server for the latest status.'},
  waiting: {
    title: 'Waiting for your documents',
    text: 'Stripe hasn’t received your documents yet. If you closed the window, you can start again.',
    retry: true,
  },
  none: {title: 'No verification yet', text: 'You haven’t started a verification on this browser. Start one from your seller onboarding.'},
  unavailable: {title: 'Status unavailable', text: 'We couldn’t reach the server. We’ll keep trying for two minutes; after that, reload this page.'},
} satisfies Record<Exclude<StatusMeaning, VerificationStatus> | 'none' | 'unavailable', StatusCopy>

// Stripe's `last_error.code`, in words a seller understands. Other codes fall back to `unknown`.
const REASONS: Partial<Record<LastErrorCode, string>> & {unknown: string} = {
  document_expired: 'The document you used has expired. Please try again with a valid one.',
  document_unverified_other: 'The document could not be verified. Make sure the photo is sharp and shows the whole document.',
  document_type_not_supported: 'This type of document isn’t accepted. Please use a passport, ID card or driving licence.',
  consent_declined: 'You declined to share your document with Stripe.',
  device_not_supported: 'This device has no camera Stripe can use. Try again on a phone.',
  under_supported_age: 'Sellers must be of legal age to receive payouts.',
  abandoned: 'The verification was left unfinished.',
  country_not_supported: 'Documents from this country aren’t supported yet.',
  selfie_face_mismatch: 'The selfie didn’t match the photo on the document.',
  selfie_unverified_other: 'The selfie could not be verified.',
  unknown: 'Please try again, and make sure the document is valid and the photo is clear.',
}

function copyTemplate(key: string, copy: StatusCopy): Markup {
  return html`<template data-state="${key}"${copy.retry ? html` data-retry` : ''}><h1>${copy.title}</h1><p>${copy.text}</p></template>`
}

/**
 * `/confirmation`: where the element sends a visitor after submitting. It polls
 * `GET /verification-session` and shows the status the server confirmed, so a reload or a later visit
 * shows the same thing.
 */
export function confirmationPage(options: DemoOptions): Markup {
  const body = html`
<section class="card confirmation" aria-labelledby="status-heading">
  <div class="status" id="status" data-state="checking" data-endpoint="/verification-session" aria-live="polite" aria-atomic="true">
    <span class="status-icon" aria-hidden="true"></span>
    <div class="status-copy" id="status-heading">
      <h1>${PAGE_COPY.checking.title}</h1>
      <p>${PAGE_COPY.checking.text}</p>
    </div>
    <p class="status-reason" id="status-reason" hidden></p>
    <p class="status-meta" id="status-meta" hidden>Session <code id="status-session"></code></p>
  </div>
  <div class="retry" id="retry" hidden>
    <identity-verify
      publishable-key="${options.publishableKey}"
      endpoint="/create-verification-session"
      return-url="/confirmation">Try again</identity-verify>
  </div>
  <p class="back"><a href="/">Back to seller onboarding</a></p>
</section>
${Object.entries(STATUS_COPY).map(([status, copy]) => copyTemplate(status, copy))}
${Object.entries(PAGE_COPY).map(([state, copy]) => copyTemplate(state, copy))}
${Object.entries(REASONS).map(([code, text]) => html`<template data-reason="${code}">${text}</template>`)}`
  return layout(options, {
    name: 'confirmation',
    title: 'Verification status',
    body,
    scripts: ['/demo/confirmation.js'],
  })
}
