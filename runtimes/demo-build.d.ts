import type {DemoBuild} from '../demo/assets.js'

/** The demo's files and the repository's address, as `npm start` reads them; written by `runtimes/pack-widget.ts` (not committed). */
export declare const DEMO_BUILD: DemoBuild
