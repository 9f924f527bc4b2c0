/** The element's build, `dist/*.js` by path, as text; written by `runtimes/pack-widget.ts` (not committed). */
export declare const WIDGET_FILES: Readonly<Record<string, string>>
