import {elementApp, type ElementApp} from './answer.js'
import {diskBuild} from './disk-build.js'
import {elementDist} from './package-root.js'

export {elementApp, type ElementApp, type ElementBuild, type ServedFile} from './answer.js'

/** Where `serveElement` reads the element's build. */
export interface ServeElementOptions {
  /** The folder of the script-tag build; by default the installed package's own `dist/`. */
  dist?: string
}

/**
 * A Hono app serving the element's script, its language modules and chunks with the headers of
 * `npm start` (any site may load them, `ETag` and 304, `/identity-verify.js` revalidated, the
 * versioned `/v/<12 hex>/…` paths immutable): `app.route('/identity-verify', serveElement())`.
 */
export function serveElement(options: ServeElementOptions = {}): ElementApp {
  return elementApp(diskBuild(options.dist ?? elementDist()))
}
