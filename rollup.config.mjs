// The script-tag build: dist/identity-verify.js, one minified ES module with Lit inside; each other
// language, and Stripe's loader, is a small module of its own, fetched only when a page needs it.
import {readdirSync, rmSync} from 'node:fs'
import {basename, resolve as resolvePath} from 'node:path'
import {gzipSync} from 'node:zlib'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

/** The most the main file may weigh, gzipped. */
const BUDGET_GZIP_BYTES = 9 * 1024

/** Squeezes the whitespace out of the strings marked `css` in a comment, which terser leaves as written. */
const minifyCss = () => ({
  name: 'minify-css',
  transform(code, id) {
    if (!/[.-]styles\.ts$/.test(id)) return null
    const squeeze = (text) =>
      text
        .replace(/\/\*[^]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/ ?([{}:;,>!]) ?/g, '$1')
        .replace(/;}/g, '}')
        .replace(/\b0\.(\d)/g, '.$1')
        .trim()
    return {code: code.replace(/\/\* css \*\/\s*`([^`]*)`/g, (_, text) => `\`${squeeze(text)}\``), map: null}
  },
})

/**
 * The script tag's entry: the element, registered, and the status follower, which a confirmation page
 * imports from the same file (`import {followStatus} from '/identity-verify.js'`) rather than loading
 * a second copy of it. The npm build exports everything from `widget/index.ts`.
 */
const scriptTagEntry = () => ({
  name: 'script-tag-entry',
  resolveId: (id) => (id === SCRIPT_TAG_ENTRY ? id : null),
  load: (id) =>
    id === SCRIPT_TAG_ENTRY
      ? `import ${JSON.stringify(resolvePath('widget/identity-verify-define.ts'))}
export {followStatus, isSettled, meaningOf} from ${JSON.stringify(resolvePath('widget/status-follower.ts'))}`
      : null,
})
const SCRIPT_TAG_ENTRY = '\0identity-verify-script-tag'

/**
 * Empties `dist/` first: a module left over from an earlier build would still be served, and counted
 * in the build's version, by a server that serves the folder as is.
 */
const emptyOutput = (dir) => ({
  name: 'empty-output',
  buildStart: () => rmSync(dir, {recursive: true, force: true}),
})

/** Prints the main file's size and fails the build above the budget. */
const sizeBudget = () => ({
  name: 'size-budget',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue
      const raw = Buffer.byteLength(file.code)
      const gzip = gzipSync(file.code, {level: 9}).length
      const main = file.name === 'identity-verify'
      console.log(`${file.fileName}: ${raw} B raw, ${gzip} B gzip${main ? ` (budget ${BUDGET_GZIP_BYTES} B)` : ''}`)
      if (main && gzip > BUDGET_GZIP_BYTES) this.error(`${file.fileName} is ${gzip} B gzip, over the ${BUDGET_GZIP_BYTES} B budget`)
    }
  },
})

export default {
  // Each module the element imports only when it needs it is an entry of its own, at the path the
  // element imports it from: each language (`./locales/fr.js`, English's texts after a click in `./locales/en.js`),
  // Stripe's loader, the setup warnings, the hosted flow's preflight (with what a create's answer means,
  // the client secret's prefetch and Stripe's modal), the looks of intent and of the states after a click.
  // None imports the main file's own modules at run time: Rollup would split those into a third file.
  input: {
    'identity-verify': SCRIPT_TAG_ENTRY,
    'stripe-loader': 'widget/stripe-loader.ts',
    'setup-warnings': 'widget/setup-warnings.ts',
    'hosted-flow': 'widget/hosted-flow.ts',
    'intent-styles': 'widget/intent-styles.ts',
    ...Object.fromEntries(readdirSync('widget/locales').map((file) => [`locales/${basename(file, '.ts')}`, `widget/locales/${file}`])),
  },
  output: {dir: 'dist', format: 'es'},
  plugins: [
    emptyOutput('dist'),
    scriptTagEntry(),
    resolve({browser: true}),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['widget/**/*.ts', 'protocol/**/*.ts'],
      compilerOptions: {noEmit: false, rootDir: '.', outDir: 'dist', declaration: false, sourceMap: false},
    }),
    // After TypeScript, which compiles the files as they are on disk.
    minifyCss(),
    terser({
      module: true,
      ecma: 2022,
      // Warnings stay: they are for the person setting a page up (Stripe's loader warns of a Stripe.js
      // version mismatch in test mode, which it keeps in its own file, off the main one).
      compress: {passes: 2, drop_console: ['log', 'info', 'debug']},
      format: {comments: false},
    }),
    sizeBudget(),
  ],
}
