// The whole site a server serves, `npm start` and every other runtime alike: the API, the element's
// files and the pages with their files, in one place so that no runtime serves another site.
import type {Hono} from 'hono'
import {visitorIdentity} from '../server/web.js'
import type {ElementApp} from '../server/element/answer.js'
import {demoOptions} from '../demo/options.js'
import {demoRoutes, type DemoBuild} from '../demo/routes.js'
import {siteApp, type SiteAppOptions} from './site-app.js'

/** What `siteWithPages` serves with. */
export interface SiteWithPagesOptions extends Omit<SiteAppOptions, 'visitor' | 'pages' | 'stripeJsUrl'> {
  /** Signs the visitors' cookie and credential. */
  visitorSecret: string
  /** The element's files (`serveElement()`, or the build packed for a runtime). */
  files: ElementApp
  /** The pages' files, read at start or packed at build. */
  build: DemoBuild
  /** Where browsers reach the emulator in emulator mode (its Stripe.js double and dashboard); null with real keys. */
  emulatorUrl: string | null
}

/**
 * `siteApp` with the visitors' cookie set on the pages, the element's files, and the pages (`/`,
 * `/confirmation`, `/embed`) with their files under `/demo/`.
 */
export function siteWithPages({visitorSecret, files, build, emulatorUrl, ...options}: SiteWithPagesOptions): Hono {
  const {publicUrl, publishableKey} = options.config
  const visitor = visitorIdentity({secret: visitorSecret, publicUrl})
  const pages = demoOptions({publicUrl, publishableKey, scriptPath: files.scriptPath(), emulatorUrl})
  const app = siteApp({...options, visitor, pages: true, stripeJsUrl: pages.stripeJsUrl})
  app.route('/', files)
  app.route('/', demoRoutes(pages, build))
  return app
}
