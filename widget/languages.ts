// The languages besides English, in a module apart from messages.ts: every language file imports
// that one for the texts' type, and this one imports every language file.
import {en, type LoadedMessages, type Messages} from './messages.js'

/**
 * Each language with built-in texts besides English, loaded when a page asks for it. One import per
 * language, with a path written out, so that every bundler finds each file and gives it a chunk of
 * its own; the script-tag build has them next to the script, as `locales/<code>.js`.
 */
const LANGUAGES: Record<string, () => Promise<{default: Messages}>> = {
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  de: () => import('./locales/de.js'),
  it: () => import('./locales/it.js'),
  pt: () => import('./locales/pt.js'),
  nl: () => import('./locales/nl.js'),
  ja: () => import('./locales/ja.js'),
}

/**
 * The texts for a BCP 47 language tag (`fr-CA` → French); English's built-in ones when the language
 * is not built in (see `loadEnglish` for its error texts).
 */
export function loadMessages(tag: string): Promise<LoadedMessages> {
  const language = tag.split('-')[0].toLowerCase()
  return Object.hasOwn(LANGUAGES, language)
    ? // A missing file (say, a CDN hiccup) falls back to English rather than leaving the element silent.
      LANGUAGES[language]().then(
        (m) => m.default,
        () => en,
      )
    : Promise.resolve(en)
}

/** English, every text: the built-in ones and its error texts, which load now (a page meets them only when something fails). */
export const loadEnglish = (): Promise<Messages> => import('./locales/en.js').then((m) => ({...en, ...m.default}))
