/**
 * The Stripe.js double served at `/stripe.js`. It defines `window.Stripe` the way Stripe.js does, so
 * the real `loadStripe` of `@stripe/stripe-js` finds it, checks its `version` against the release
 * train it expects ('endive' for @stripe/stripe-js 10) and registers itself with `_registerWrapper`.
 *
 * `verifyIdentity(clientSecret)` opens an overlay with an iframe from the emulator's origin, like
 * Stripe's modal. The client secret never goes into the iframe URL: it is posted to the iframe once
 * it has loaded, and the iframe (same origin as the API) checks it and posts the result back.
 */

/** The release train of Stripe.js this double stands in for. */
export const STRIPE_JS_VERSION = 'endive'

/** The path of the modal page inside the iframe. */
export const MODAL_PATH = '/identity/modal'

/** Messages between the page and the modal iframe. */
export const MESSAGE = {init: 'identity-emulator:init', result: 'identity-emulator:result'} as const

/** The JavaScript of the double, for an emulator reachable at `origin`. */
export function stripeJsSource(origin: string): string {
  return `/* Stripe.js double (identity-verify emulator, test mode). */
(function () {
  'use strict';
  var ORIGIN = ${JSON.stringify(origin)};
  var MODAL_URL = ORIGIN + ${JSON.stringify(MODAL_PATH)};
  var MESSAGE = ${JSON.stringify(MESSAGE)};

  function IntegrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function Stripe(key, options) {
    if (!(this instanceof Stripe)) return new Stripe(key, options);
    if (key === undefined || key === null) throw IntegrationError('Please call Stripe() with your publishable key. You used an undefined value.');
    if (typeof key !== 'string') throw IntegrationError('Invalid value for Stripe(): apiKey should be a string. You specified: ' + typeof key + '.');
    if (key === '') throw IntegrationError('Please call Stripe() with your publishable key. You used an empty string.');
    if (/^(sk|rk)_/.test(key)) throw IntegrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
    if (!/^pk_(test|live)_[A-Za-z0-9_]+$/.test(key)) throw IntegrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_test_… or pk_live_…).');
    this._apiKey = key;
    this._wrappers = [];
    this._open = null;
  }

  Stripe.version = ${JSON.stringify(STRIPE_JS_VERSION)};

  Stripe.prototype._registerWrapper = function (wrapper) {
    this._wrappers.push(wrapper);
  };

  Stripe.prototype.verifyIdentity = function (clientSecret) {
    if (typeof clientSecret !== 'string') {
      throw IntegrationError('Invalid value for verifyIdentity: clientSecret should be a string. You specified: ' + typeof clientSecret + '.');
    }
    var self = this;
    if (self._open) {
      return Promise.resolve({error: {type: 'invalid_request_error', code: 'modal_already_open', message: 'An identity verification modal is already open.'}});
    }
    return new Promise(function (resolve) {
      var previousFocus = document.activeElement;
      var overlay = document.createElement('div');
      overlay.setAttribute('data-stripe-identity-overlay', '');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(10,37,64,.55);';
      var iframe = document.createElement('iframe');
      iframe.src = MODAL_URL;
      iframe.title = 'Verify your identity';
      iframe.setAttribute('allow', 'camera');
      iframe.style.cssText = 'width:min(440px,100vw);height:min(620px,100vh);border:0;border-radius:12px;background:#fff;box-shadow:0 20px 60px rgba(0,0,0,.35);';
      overlay.appendChild(iframe);

      function onMessage(event) {
        if (event.origin !== ORIGIN || event.source !== iframe.contentWindow) return;
        var data = event.data;
        if (!data || data.type !== MESSAGE.result) return;
        finish(data.result);
      }
      function finish(result) {
        window.removeEventListener('message', onMessage);
        overlay.remove();
        self._open = null;
        if (previousFocus && typeof previousFocus.focus === 'function') previousFocus.focus();
        resolve(result);
      }
      iframe.addEventListener('load', function () {
        iframe.contentWindow.postMessage({type: MESSAGE.init, clientSecret: clientSecret}, ORIGIN);
        iframe.focus();
      });
      window.addEventListener('message', onMessage);
      self._open = overlay;
      (document.body || document.documentElement).appendChild(overlay);
    });
  };

  window.Stripe = Stripe;
})();
`
}
