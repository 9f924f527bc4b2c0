import {VerifyIdentity} from './VerifyIdentity.tsx'

const server = import.meta.env.VITE_IDENTITY_VERIFY_SERVER ?? 'http://localhost:4242'
const publishableKey = import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY ?? 'pk_test_emulator'
// `?lang=fr` shows the element's own texts in French; without it, the page's language is used.
const lang = new URLSearchParams(location.search).get('lang') ?? undefined

export default function App() {
  return (
    <main>
      <h1>Verify your identity</h1>
      <VerifyIdentity server={server} publishableKey={publishableKey} lang={lang} />
    </main>
  )
}
