import '../../widget/identity-verify-define.js'
import {deepEqual, equal} from './assert.js'
import {buttonOf, cleanUp, endpoints, messageOf, mount, otherOrigin, record, uniqueName, waitFor} from './harness.js'
import type {IdentityVerifyElement} from '../../widget/identity-verify.js'
import {en, type Messages} from '../../widget/messages.js'

/** Each language's file, read here by a path of its own rather than through the element. */
const FILES: Record<string, () => Promise<{default: Messages}>> = {
  // English's built-in texts and its error texts, from their own module.
  en: async () => ({default: {...en, ...(await import('../../widget/locales/en.js')).default}}),
  es: () => import('../../widget/locales/es.js'),
  fr: () => import('../../widget/locales/fr.js'),
  de: () => import('../../widget/locales/de.js'),
  it: () => import('../../widget/locales/it.js'),
  pt: () => import('../../widget/locales/pt.js'),
  nl: () => import('../../widget/locales/nl.js'),
  ja: () => import('../../widget/locales/ja.js'),
}
const LANGUAGES = Object.keys(FILES)

/** The built-in texts of a language, as its file has them. */
const textsOf = async (language: string): Promise<Messages> => (await FILES[language]!()).default

/** The language files the page has fetched so far. */
const fetchedLanguages = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname.match(/\/widget\/locales\/(\w+)\./)?.[1])
    .filter(Boolean)

/** Clicks an element whose publishable key is missing and returns the message of the error it reports. */
async function configErrorOf(element: IdentityVerifyElement): Promise<string> {
  const events = record()
  try {
    await element.updateComplete
    buttonOf(element)!.click()
    await waitFor(() => events.seen.length === 2, 'the error')
    return (events.seen[1].detail as {message: string}).message
  } finally {
    events.stop()
  }
}

describe('<identity-verify> languages', () => {
  afterEach(cleanUp)

  for (const language of LANGUAGES) {
    it(`speaks ${language} with lang="${language}", fetching that language only then`, async () => {
      equal(fetchedLanguages().includes(language), false)
      const element = mount({lang: language, endpoint: endpoints(uniqueName()).session}, '')
      const message = await configErrorOf(element)
      deepEqual(fetchedLanguages(), LANGUAGES.slice(0, LANGUAGES.indexOf(language) + 1))
      const texts = await textsOf(language)
      equal(message, texts.config)
      await element.updateComplete
      equal(messageOf(element).textContent, texts.config)
      equal(buttonOf(element)!.querySelector('slot')!.textContent, texts.label)
    })
  }

  it('says, in every language, that a page whose origin the server refuses is not set up, with nothing to try again', async () => {
    for (const language of LANGUAGES) {
      const refused = endpoints(uniqueName(), 'status=403&code=forbidden_origin', otherOrigin).session
      const element = mount({'publishable-key': 'pk_test_languages', lang: language, endpoint: refused})
      const texts = await textsOf(language)
      equal(await configErrorOf(element), texts.config, language)
      await element.updateComplete
      equal(messageOf(element).textContent, texts.config, language)
    }
  })

  it('has every text in every language', async () => {
    for (const language of LANGUAGES) deepEqual(Object.keys(await textsOf(language)).sort(), Object.keys(await textsOf('en')).sort(), `${language} has other keys`)
  })

  it('takes a regional tag by its language: fr-CA is French', async () => {
    equal(await configErrorOf(mount({lang: 'fr-CA'})), (await textsOf('fr')).config)
  })

  it('takes the language of the nearest [lang] ancestor', async () => {
    const section = document.createElement('section')
    section.lang = 'de'
    document.body.append(section)
    try {
      const element = document.createElement('identity-verify')
      section.append(element)
      equal(await configErrorOf(element), (await textsOf('de')).config)
    } finally {
      section.remove()
    }
  })

  it("falls back to the browser's language, then to English for languages it does not have", async () => {
    equal(navigator.language.split('-')[0], 'en', 'this test expects an English browser')
    const ownLanguage = document.documentElement.getAttribute('lang')
    document.documentElement.removeAttribute('lang')
    try {
      const {config} = await textsOf('en')
      equal(await configErrorOf(mount({})), config)
      equal(await configErrorOf(mount({lang: 'sv'})), config)
    } finally {
      if (ownLanguage !== null) document.documentElement.setAttribute('lang', ownLanguage)
    }
  })

  it('changes language when lang changes', async () => {
    const element = mount({lang: 'es'})
    equal(await configErrorOf(element), (await textsOf('es')).config)
    element.lang = 'ja'
    const japanese = (await textsOf('ja')).config
    await waitFor(() => messageOf(element).textContent === japanese, 'the Japanese message')
    equal(element.getAttribute('lang'), 'ja')
  })
})
