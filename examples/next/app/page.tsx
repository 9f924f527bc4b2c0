import {VerifyIdentity} from './VerifyIdentity'

// Inlined by `next build`, as Vite inlines `import.meta.env.VITE_*`.
const server = process.env.NEXT_PUBLIC_IDENTITY_VERIFY_SERVER ?? 'http://localhost:4242'
const publishableKey = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? 'pk_test_emulator'

// `?lang=fr` shows the element's own texts in French, from the server's render on; without it, the page's language is used.
export default async function Page({searchParams}: {searchParams: Promise<{lang?: string | string[]}>}) {
  const {lang} = await searchParams
  return (
    <main>
      <h1>Verify your identity</h1>
      <VerifyIdentity server={server} publishableKey={publishableKey} lang={typeof lang === 'string' ? lang : undefined} />
    </main>
  )
}
