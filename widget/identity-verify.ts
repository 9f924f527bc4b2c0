import {LitElement, html, nothing, type PropertyValues} from 'lit'
import type {Stripe} from '@stripe/stripe-js'
import type {CreateSessionAnswer, ErrorAnswer, HostedSessionAnswer, SessionConflictAnswer, SessionStatusAnswer} from '../protocol/wire.js'
import {
  IdentityVerifyCancelEvent,
  IdentityVerifyErrorEvent,
  IdentityVerifyOpenEvent,
  IdentityVerifyStartEvent,
  IdentityVerifyStatusEvent,
  IdentityVerifySubmittedEvent,
  type ErrorCode,
} from './events.js'
import {FlowError} from './flow-error.js'
import {en, type LoadedMessages, type Messages} from './messages.js'
import {loadEnglish, loadMessages} from './languages.js'
import {followStatus, isSettled, meaningOf} from './status-follower.js'
import {onIntent} from './intent.js'
import type {warn as setupWarning} from './setup-warnings.js'
import type {Hosted, Mode} from './hosted-flow.js'

/** The module of where the flow can run, and of what the server's answers to a create mean. */
type HostedFlow = typeof import('./hosted-flow.js')
import {keepVisitor, withVisitor} from './visitor-credential.js'
import {styles} from './identity-verify.styles.js'

export * from './events.js'

/** What the element is doing, reflected as its `state` attribute. */
export type IdentityVerifyState = 'idle' | 'loading' | 'open' | 'submitted' | 'verified' | 'requires-input' | 'canceled' | 'error'

/**
 * The element's attributes as a template writes them, each typed as the property it sets; the typings
 * for React, Vue and Svelte build on them.
 */
export interface IdentityVerifyAttributes {
  'publishable-key'?: IdentityVerifyElement['publishableKey']
  endpoint?: IdentityVerifyElement['endpoint']
  'status-endpoint'?: IdentityVerifyElement['statusEndpoint']
  'return-url'?: IdentityVerifyElement['returnUrl']
  credentials?: IdentityVerifyElement['credentials']
  lang?: IdentityVerifyElement['lang']
  disabled?: IdentityVerifyElement['disabled']
  mode?: IdentityVerifyElement['mode']
  name?: IdentityVerifyElement['name']
  required?: IdentityVerifyElement['required']
  analytics?: IdentityVerifyElement['analytics']
  accent?: IdentityVerifyElement['accent']
  prefetch?: IdentityVerifyElement['prefetch']
}

/** `publishable-key` → `publishableKey`: an attribute's property name. */
type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name

/** The same attributes by their property names (`publishableKey`), as Vue's templates and the React component name them. */
export type IdentityVerifyProperties = {
  [Name in keyof IdentityVerifyAttributes as CamelCase<Name>]: IdentityVerifyAttributes[Name]
}

/** The properties a template can set that have no attribute, since their values are objects. */
export type IdentityVerifyObjectProperties = Partial<Pick<IdentityVerifyElement, 'requestBody' | 'requestHeaders'>>

const PUBLISHABLE_KEY = /^pk_(test|live)_\w+$/

// Stripe's loader comes with Stripe.js, on the first sign of intent, not with the page.
const loadStripeOnce = (key: string, stripeJs?: string): Promise<Stripe> => import('./stripe-loader.js').then((m) => m.loadStripeOnce(key, stripeJs))

// Where the flow can run (the modal or Stripe's hosted page), loaded with Stripe.js on the first sign of intent.
const hostedFlow = () => import('./hosted-flow.js')

// Marks, for the tab's lifetime, that an element (by its id) sent the user to Stripe's hosted page, so
// that the element on the page they come back to resumes as after a submission. No session data.
const HOSTED = 'identity-verify-hosted'

// The looks of intent and of the states after a click (the hover, the focus ring, the spinner, the
// outcomes' marks), added to an element's styles on the first sign of intent or with the first of those states.
const intentStyles = () => import('./intent-styles.js')

// Tells the page's author what is wrong with its setup; the sentences load only when one is due.
const warn = (...problem: Parameters<typeof setupWarning>) => void import('./setup-warnings.js').then((m) => m.warn(...problem))

/** The events of Stripe's modal, which its module fires through the element. */
const SESSION_EVENTS = {open: IdentityVerifyOpenEvent, cancel: IdentityVerifyCancelEvent, submitted: IdentityVerifySubmittedEvent}

/** What an error event can say about a flow, as it becomes known. */
type Known = {sessionId?: string; status?: number}

/**
 * A JSON answer of the server, as far as it goes: a session's status, a client secret, or an error,
 * with the session that answers for the user when a create makes none (409).
 */
type Answer = Partial<SessionStatusAnswer & CreateSessionAnswer & HostedSessionAnswer & ErrorAnswer & Pick<SessionConflictAnswer, 'session'>>

/**
 * A button that verifies the user's identity with Stripe Identity's modal, or Stripe's hosted page
 * where the modal cannot work. Form-associated: with `name`, a form submits the session id.
 *
 * @fires identity-verify-start - Before any request; cancelable: `preventDefault()` stops the flow.
 * @fires identity-verify-open - Stripe's modal was opened. `detail: {sessionId}`
 * @fires identity-verify-submitted - The user submitted. `detail: {sessionId}`
 * @fires identity-verify-cancel - The user closed the modal without submitting. `detail: {sessionId}`
 * @fires identity-verify-error - Anything failed. `detail: {code, message, sessionId?, status?}`
 * @fires identity-verify-status - The server-confirmed status changed (with `status-endpoint`), or `endpoint` answered that the user is verified or being checked already. `detail: {sessionId, status, lastError}`
 *
 * @slot - The button's label.
 * @slot submitted - Shown once the user has submitted (instead of the built-in confirmation).
 *
 * @csspart button - The native button.
 * @csspart message - The polite live region where state messages appear.
 * @csspart mark - The outcome's mark before the message (`aria-hidden`): a disc in the outcome's colour with a clock (`submitted`), a tick (`verified`), "!" (`requires-input`) or "×" (`error`); empty in the other states.
 *
 * @cssprop [--identity-verify-accent=#635bff] - Button background.
 * @cssprop [--identity-verify-accent-text=black or white] - Button text; by default black or white, whichever reads on the accent (4.5:1 at least).
 * @cssprop [--identity-verify-pending=#2e6be6] - The mark's colour while the documents are checked (`submitted`).
 * @cssprop [--identity-verify-success=#168a3c] - The mark's colour once verified.
 * @cssprop [--identity-verify-warning=#b25e09] - The mark's colour when the documents need another try (`requires-input`).
 * @cssprop [--identity-verify-error=#d92d20] - The mark's colour after an error.
 * @cssprop [--identity-verify-radius=6px] - Button corner radius.
 * @cssprop [--identity-verify-font=inherit] - Font family (the page's by default).
 *
 * @attr state - Reflects `state`, for `:host([state=…])` styles.
 *
 * @tagname identity-verify
 */
export class IdentityVerifyElement extends LitElement {
  static override styles = styles
  static formAssociated = true

  /** Registers the element as `tag` in `registry`; a tag that is taken there already is left as it is. */
  static define(tag = 'identity-verify', registry = customElements): void {
    if (registry.get(tag)) return
    try {
      registry.define(tag, this)
    } catch {
      // A class serves one tag per registry: another tag gets a subclass of its own.
      registry.define(tag, class extends this {})
    }
  }

  static override properties = {
    publishableKey: {attribute: 'publishable-key'},
    endpoint: {},
    statusEndpoint: {attribute: 'status-endpoint'},
    returnUrl: {attribute: 'return-url'},
    credentials: {},
    lang: {reflect: true},
    disabled: {type: Boolean, reflect: true},
    mode: {},
    name: {reflect: true},
    required: {type: Boolean},
    analytics: {type: Boolean},
    accent: {},
    prefetch: {},
    // Properties without attributes, with accessors all the same: a template (Svelte's, for one) sets
    // an element's property only where the element has a setter for it, and an attribute elsewhere.
    requestBody: {attribute: false},
    requestHeaders: {attribute: false},
  }

  /** Stripe publishable key, `pk_test_…` or `pk_live_…`. */
  publishableKey?: string

  /** URL the element POSTs to; it answers `{"client_secret": "…"}`, or 409 with the session of a user verified or being checked already. */
  endpoint = '/create-verification-session'

  /** When set, the element asks this URL on connect and shows a returning visitor's state; after submission (or a click that finds the documents being checked already) it follows the status, for up to two minutes. */
  statusEndpoint?: string

  /** After submission, navigate here; without it, show the `submitted` slot or a built-in confirmation. */
  returnUrl?: string

  /** `fetch` credentials mode for both endpoints (`include` when your own server on another origin reads its cookie). */
  credentials: RequestCredentials = 'same-origin'

  /** Language of the built-in texts; defaults to the nearest `[lang]`, then the browser's. */
  declare lang: string

  /** Whether the button is disabled. */
  disabled = false

  /** `auto`: Stripe's modal, or its hosted page where the modal cannot work (an in-app browser, a frame without the camera); `modal`; `redirect`: always the hosted page (needs `status-endpoint` to show the outcome on return). */
  mode: Mode = 'auto'

  /** The form field's name: with it, the element's form submits the session id (`vs_…`) once the user has submitted. */
  declare name: string

  /** Whether its form can submit only once the user has submitted their documents. */
  required = false

  /** Whether each event is also pushed to `window.dataLayer` as `{event, identityVerify: detail}`, for a tag manager. */
  analytics = false

  /** The button's colour, any CSS colour (`#0a7`): sets `--identity-verify-accent` on the element through the CSSOM, which a Content-Security-Policy allows where it refuses a `style` attribute; a value that is not a colour is ignored. */
  accent?: string

  /** `intent` (also when unset): the client secret is fetched on a strong sign of intent (the pointer resting on the button, keyboard focus on it, a touch), so that the click opens the modal at once; `none`: only at the click. Scrolling into view alone never asks `endpoint`. */
  declare prefetch: 'intent' | 'none'

  /** JSON-serialisable body of the POST to `endpoint`. */
  requestBody: unknown = {}

  /** Extra headers of both requests, such as a CSRF token. */
  requestHeaders: Record<string, string> = {}

  // What the element shows: its state and the text of its message; `#show` changes them.
  #state: IdentityVerifyState = 'idle'
  #message: keyof Messages | '' = ''

  #busy = false
  #internals = this.attachInternals()
  // Set by the form: a disabled fieldset around the element, or its own `disabled`.
  #formDisabled = false
  #value = ''
  #abort?: AbortController
  #stopIntent?: () => void
  // The module that watches for a strong sign of intent, once loaded.
  #watching?: HostedFlow
  #language?: string
  // The texts shown now, and those of the element's language once its file has loaded.
  #messagesLoaded: Promise<LoadedMessages> = Promise.resolve(en)
  #messages: LoadedMessages = en
  // The looks of intent and of the states after a click, once asked for.
  #dressed?: Promise<void>

  /** What the element is doing: `idle`, `loading`, `open`, `submitted`, `verified`, `requires-input`, `canceled` or `error`. */
  get state(): IdentityVerifyState {
    return this.#state
  }

  /** The session id (`vs_…`) once the user has submitted, else `''`: what its form submits. */
  get value(): string {
    return this.#value
  }

  /** Why the element keeps its form from submitting (`valueMissing`: `required` and nothing submitted yet), as a native control's. */
  get validity(): ValidityState {
    return this.#internals.validity
  }

  /** The localized sentence that says so, or `''`. */
  get validationMessage(): string {
    return this.#internals.validationMessage
  }

  override connectedCallback() {
    super.connectedCallback()
    this.#localize()
    // Stripe.js is fetched on the first sign of interest, so a click waits on the network only once.
    this.#stopIntent = onIntent(this, (event) => {
      const key = this.publishableKey ?? ''
      if (PUBLISHABLE_KEY.test(key)) loadStripeOnce(key).catch(() => {})
      this.#dress()
      // It watches for a stronger sign, on which the client secret is fetched ahead (see `prefetch`).
      hostedFlow()
        .then((flow) => (this.#watching = flow).watchIntent(this, event, (signal, headers) => this.#post(signal, headers)))
        .catch(() => {})
      // English's texts after a click too, so that they show at once, and an error met offline still has its sentence.
      void this.#allTexts()
    })
    // A returning visitor sees where their verification stands.
    if (this.statusEndpoint) void this.#resume()
  }

  override disconnectedCallback() {
    super.disconnectedCallback()
    this.#stopIntent?.()
    this.#abort?.abort()
    // A client secret fetched ahead is not kept for an element off the page.
    this.#watching?.drop(this)
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('lang')) this.#localize()
    // Through the CSSOM, not a `style` attribute, so that no Content-Security-Policy stands in the way.
    if (changed.has('accent')) this.style.setProperty('--identity-verify-accent', CSS.supports('color', this.accent!) ? this.accent! : null)
  }

  protected override updated() {
    // `state` is read-only, so the attribute only ever mirrors it.
    this.setAttribute('state', this.#state)
    // Required and not submitted yet: the label, in the element's language, says what is missing.
    this.#internals.setValidity({valueMissing: this.required && !this.#value}, this.#messages.label)
  }

  /** The form was reset: the element forgets the session, as a native control its value. */
  formResetCallback() {
    this.#restart()
    this.#setValue('')
    this.#show('idle')
  }

  /** A disabled fieldset (or `disabled`) disables the button. */
  formDisabledCallback(disabled: boolean) {
    this.#formDisabled = disabled
    this.requestUpdate()
  }

  /** Does what a click does: asks `endpoint` for a session and opens Stripe's modal, or goes to Stripe's hosted page (see `mode`). */
  async start(): Promise<void> {
    if (this.disabled || this.#formDisabled || this.#busy || !this.#emit(new IdentityVerifyStartEvent())) return
    this.#busy = true
    // A new flow also stops following an earlier session's status.
    const signal = this.#restart()
    const known: Known = {}
    let hosted: Hosted | undefined
    this.#show('loading', 'loading')
    try {
      const key = this.publishableKey ?? ''
      if (!PUBLISHABLE_KEY.test(key)) {
        warn('publishable-key', undefined, key)
        throw new FlowError('config')
      }
      // Where the flow can run, known before any request to the server, whose answers its module reads.
      const flow = await hostedFlow().catch(() => {
        throw new FlowError('network')
      })
      const prepared = flow.prepare(this.mode)
      if (typeof prepared === 'string') throw new FlowError(prepared)
      hosted = prepared
      // Stripe.js loads while the session is being created, not after.
      loadStripeOnce(key).catch(() => {})
      // The answer fetched ahead on intent, if one is held for this very request (never the hosted flow's); else asked now.
      const answer: Answer = (await flow.takePrefetched(this)) || (await this.#createSession(signal, known, flow, hosted))
      if (answer.session) {
        // The user is verified or being checked already: where they stand is the outcome, not a failure.
        if (this.#answered(answer.session, signal, true)) return hosted?.tab?.close()
        throw new FlowError('session_failed')
      }
      if (hosted) {
        // The page leaves for Stripe's, or this one waits while the user verifies in the new tab.
        this.#show('open')
        return flow.go(hosted, answer.url!, HOSTED, this.id, (url) => this.navigate(url))
      }
      const secret = answer.client_secret!
      const sessionId = (known.sessionId = flow.sessionIdOf(secret))
      // On the emulator, its Stripe.js opens its client secrets (heeded with a test key only).
      const failed = await flow.openModal(
        {
          show: (state, message) => this.#show(state, message),
          emit: (type) => this.#emit(new SESSION_EVENTS[type]({sessionId})),
          refocus: (submitted) => this.#refocus(submitted),
          follow: () => this.#follow(sessionId, signal, undefined, true),
        },
        loadStripeOnce(key, answer.stripe_js),
        secret,
        signal,
      )
      if (failed) throw new FlowError(failed)
    } catch (reason) {
      hosted?.tab?.close()
      await this.#fail(reason, signal, known)
    } finally {
      this.#busy = false
    }
  }

  /** Sends a request to an endpoint; override it to add authentication or to observe requests. */
  fetch(request: Request): Promise<Response> {
    return window.fetch(request)
  }

  /** Goes to `return-url` after submission (or a click that finds the user verified or being checked already); override it to navigate another way. */
  navigate(url: string): void {
    location.assign(url)
  }

  protected override render() {
    const state = this.#state
    const text = this.#message && this.#messages[this.#message]
    // After a failed attempt the button says "Try again", but for a page not set up, where nothing can be tried again.
    const retry = (state === 'requires-input' || (state === 'error' && this.#message !== 'config')) && this.#messages.retry
    // One line per node: whitespace between tags would become text nodes.
    return html`${
      state === 'submitted' || state === 'verified'
        ? nothing
        : html`<button part="button" type="button" ?disabled=${this.disabled || this.#formDisabled} aria-busy=${state === 'loading'} @click=${this.start}>${retry || html`<slot>${this.#messages.label}</slot>`}</button>`
    }<div part="message" role="status" tabindex="-1">${text ? html`<span part="mark" aria-hidden="true"></span>` : nothing}${state === 'submitted' ? html`<slot name="submitted">${text}</slot>` : text || nothing}</div>`
  }

  // Every event goes out here, so the manifest documents each from the class's `@fires`, once.
  #emit(event: Event): boolean {
    // A tag manager reads its data layer; the details hold no client secret.
    if (this.analytics) ((window as {dataLayer?: object[]}).dataLayer ??= []).push({event: event.type, identityVerify: (event as CustomEvent).detail})
    return this.dispatchEvent(event)
  }

  // The form's value; the next update sets the validity that follows from it.
  #setValue(sessionId: string) {
    this.#value = sessionId
    this.#internals.setFormValue(sessionId || null)
    this.requestUpdate()
  }

  #show(state: IdentityVerifyState, message: keyof Messages | '' = '') {
    this.#state = state
    this.#message = message
    if (state !== 'idle') {
      this.#dress()
      void this.#allTexts()
    }
    this.requestUpdate()
  }

  // Adds the looks of intent and of the states after a click to the element's styles, once.
  #dress() {
    // The states still read without their marks, should the module fail to load.
    return (this.#dressed ??= intentStyles().then(
      ({sheet}) => void this.shadowRoot!.adoptedStyleSheets.push(sheet),
      () => {},
    ))
  }

  // Every text, English's included, shown from then on (English's texts after a click load on the first
  // sign of intent, or when one is due; a load that fails leaves the built-in ones).
  async #allTexts(): Promise<LoadedMessages> {
    const texts = await this.#messagesLoaded
    if (texts.failed) return texts
    this.#messages = await loadEnglish().catch(() => texts)
    this.requestUpdate()
    return this.#messages
  }

  // Shows that the documents need another try (its texts loaded): the button says "Try again" and, after
  // a submission (not on page load), takes focus back from the confirmation it replaces.
  async #showRetry(message: keyof Messages, focus: boolean) {
    this.#show('requires-input', message)
    if (focus) {
      await this.updateComplete
      this.#refocus(false)
    }
  }

  // After the modal closes, focus goes back to the button, or to the confirmation that replaces it.
  #refocus(submitted: boolean) {
    this.renderRoot.querySelector<HTMLElement>(submitted ? 'div' : 'button')?.focus()
  }

  // Stops what the element was doing for an earlier flow; returns the signal of the next one.
  #restart(): AbortSignal {
    this.#abort?.abort()
    return (this.#abort = new AbortController()).signal
  }

  // Every request to the server goes out here, with the visitor's credential for that server if one is
  // kept, keeping the one its answer carries.
  #send(url: string, init: RequestInit): Promise<Response> {
    const request = withVisitor(new Request(url, {...init, credentials: this.credentials}))
    return this.fetch(request).then((response) => (keepVisitor(request, response), response))
  }

  // The POST to `endpoint` that makes a session: the click's, and the prefetch's ahead of it (see `prefetch`).
  #post(signal: AbortSignal, headers?: Record<string, string>): Promise<Response> {
    return this.#send(this.endpoint, {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers, ...this.requestHeaders},
      body: JSON.stringify(this.requestBody),
      signal,
    })
  }

  // Sends a request; resolves with the answer and its JSON body, if any.
  async #request(send: () => Promise<Response>): Promise<[Response, Answer?]> {
    const response = await send().catch(() => {
      throw new FlowError('network')
    })
    const body = await response.json().catch(() => {})
    if (body?.error?.code === 'forbidden_origin') {
      // The site is not set up to verify on this page: nothing the visitor can retry; its owner is told which setting.
      warn('origin', response)
      throw new FlowError('config')
    }
    return [response, body]
  }

  // POSTs to `endpoint`; resolves with its answer when it holds the client secret (for the hosted flow:
  // the hosted page's URL), or the session that answers for the user when the server makes none (409:
  // verified, or being checked).
  async #createSession(signal: AbortSignal, known: Known, flow: HostedFlow, hosted?: Hosted): Promise<Answer> {
    const [response, body] = await this.#request(() => this.#post(signal, hosted && flow.returnUrlHeader()))
    const usable = flow.usable(response, body, !!hosted)
    // Any answer but the session's own tells its status with the error reported: a 409's, should its
    // session turn out to be neither verified nor processing.
    if (!usable || !response.ok) known.status = response.status
    if (usable) return body!
    // A page (HTML) where the server should be, or JSON that is not the server's: the URL is wrong.
    if (usable === undefined) warn('endpoint', response)
    throw new FlowError('session_failed')
  }

  // Asks `status-endpoint` once; resolves with the session it answers, if any.
  async #askStatus(signal: AbortSignal): Promise<Answer | undefined> {
    const [response, body] = await this.#request(() => this.#send(this.statusEndpoint!, {headers: this.requestHeaders, cache: 'no-store', signal})).catch(() => [])
    // The server answers 204 when there is nothing to show: a 404 is a URL that is not the server's.
    if (response?.status === 404) warn('status-endpoint', response)
    return response?.ok ? body : undefined
  }

  // On connect: shows a returning visitor's verified or processing session, and follows the latter, or
  // why their last attempt failed; back from Stripe's hosted page, follows their latest session as after
  // a submission.
  async #resume() {
    const signal = this.#restart()
    let back
    try {
      // Marked: the user may come back from Stripe's hosted page, which the hosted flow's module tells.
      back = sessionStorage.getItem(HOSTED) === this.id && (await hostedFlow()).cameBack(HOSTED)
    } catch {
      // Storage blocked: nothing was marked either.
    }
    this.#answered(await this.#askStatus(signal), signal, back, back)
  }

  // Shows a session the server says answers for the user already, on connect or instead of a new one:
  // verified, or processing and then followed as after a submission, or (on connect) a failed attempt;
  // false when it is none of these. After a click, the user goes on to `return-url` as after a
  // submission. `back` from Stripe's hosted page (as if clicked), the user's latest session is the one
  // they just submitted, whatever the server knows of it yet: it fires `submitted` and is followed as
  // after a submission.
  #answered(session: Answer | undefined, signal: AbortSignal, clicked?: boolean, back?: boolean): boolean {
    const {id, status, last_error} = session ?? {}
    if (!id || signal.aborted) return false
    if (!clicked && status === 'requires_input' && last_error) {
      // On connect (not back from Stripe's page, which counts as clicked), a visitor whose last attempt
      // failed sees why, as after a live failure, and the button to try again.
      this.#follow(id, signal, session)
      return true
    }
    if (status !== 'verified' && status !== 'processing' && !back) return false
    if (clicked) this.#refocus(true)
    this.#show('submitted', 'submitted')
    if (back) this.#emit(new IdentityVerifySubmittedEvent({sessionId: id}))
    this.#follow(id, signal, back ? undefined : session, clicked)
    return true
  }

  // Says what went wrong, in the element's language.
  async #fail(reason: unknown, signal: AbortSignal, known: Known) {
    // A load of English's error texts that fails leaves the code.
    const texts = await this.#allTexts()
    // Removed from the page: nobody is there to tell.
    if (signal.aborted) return this.#show('idle')
    // What else throws here is the page's setup: an endpoint that is no URL, a body that is no JSON.
    const code: ErrorCode = reason instanceof FlowError ? reason.code : 'config'
    // Stripe may return codes of its own that have no text here; they share a generic one.
    const message = Object.hasOwn(texts, code) ? (code as keyof Messages) : 'failed'
    // The button says "Try again" and takes focus, before the state is one that waits for a click: the
    // element's own focus is no sign of intent to fetch a client secret ahead on.
    this.#refocus(false)
    this.#show('error', message)
    this.#emit(new IdentityVerifyErrorEvent({code, message: texts[message] ?? code, ...known}))
  }

  // Follows `status-endpoint` until the session is final or needs the user again, or time runs out;
  // `first`, the server's word on a session the user did not just submit, counts as the first answer.
  // `leave` goes to `return-url`, if set, instead of following.
  #follow(sessionId: string, signal: AbortSignal, first?: Answer, leave = false) {
    this.#setValue(sessionId)
    const since = first ? -Infinity : Date.now()
    let last = ''
    const settle = (answer?: Answer) => {
      // The endpoint answers for the user's latest session; an older one says nothing about this one.
      if (signal.aborted || answer?.id !== sessionId || !answer.status) return
      const {status} = answer
      const code = answer.last_error?.code
      if (status + code !== last) {
        last = status + code
        this.#emit(new IdentityVerifyStatusEvent({sessionId, status, lastError: code ? {code} : null}))
      }
      const meaning = meaningOf(answer as SessionStatusAnswer, Date.now() - since)
      if (meaning === 'requires_input') {
        // Not a submission any more: the form's value goes, until the next one.
        this.#setValue('')
        void this.#allTexts().then(() => void (signal.aborted || this.#showRetry(code === 'document_expired' ? code : meaning, leave)))
      } else if (meaning === 'verified' || meaning === 'canceled') this.#show(meaning, meaning)
      return isSettled(meaning)
    }
    const settled = settle(first)
    if (leave && this.returnUrl) this.navigate(this.returnUrl)
    // A 404 or a 5xx is worth another try: the webhook may not have arrived yet.
    else if (!settled && this.statusEndpoint) void followStatus(async () => settle(await this.#askStatus(signal)), signal)
  }

  #localize() {
    const language = this.lang || this.closest('[lang]')?.getAttribute('lang') || navigator.language
    if (language === this.#language) return
    this.#language = language
    this.#messagesLoaded = loadMessages(language).then((texts) => {
      if (language === this.#language) {
        this.#messages = texts
        this.requestUpdate()
      }
      return texts
    })
  }
}
