// Every English text the element shows, as a test compares them: the built-in ones and the error
// texts, which the element loads from their own module when an error is due.
import {en} from '../../widget/messages.js'
import errors from '../../widget/locales/en.js'
import type {Messages} from '../../widget/messages.js'

export const english: Messages = {...en, ...errors}
