/**
 * Script weight: what a page downloads before anything happens. Ours is the file a site puts in a
 * script tag; each alternative is its package's ESM entry as a bundler picks it (`browser`, then
 * `module`, then `main`), bundled with its dependencies and minified by the same tools as ours, since
 * that is what a site using it ships.
 */
import {readFile} from 'node:fs/promises'
import {relative} from 'node:path'
import {brotliCompressSync, constants, gzipSync} from 'node:zlib'
import {nodeResolve} from '@rollup/plugin-node-resolve'
import terserPlugin from '@rollup/plugin-terser'
import {rollup} from 'rollup'

// The plugin's types describe its CommonJS build; the ESM build that Node loads here exports the plugin itself.
const terser = terserPlugin as unknown as typeof terserPlugin.default

/** The identity verification SDKs a site would pick instead of ours, installed from bench/package.json. */
export const ALTERNATIVES = ['persona', '@onefootprint/footprint-js', '@didit-protocol/sdk-web', '@veriff/incontext-sdk'] as const

/** Sizes of one script, in bytes. */
export interface ScriptWeight {
  /** The package (with version) or our file. */
  name: string
  /** The file measured: ours relative to the project; an alternative's entry relative to its package. */
  file: string
  raw: number
  gzip: number
  brotli: number
  /** Bytes of the entry file as installed, before bundling and minifying (alternatives only). */
  entryRaw?: number
}

/** Raw, gzip (level 9) and brotli (quality 11) sizes of some bytes. */
export function compressedSizes(bytes: Buffer): Pick<ScriptWeight, 'raw' | 'gzip' | 'brotli'> {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, {level: 9}).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  }
}

/**
 * Our files that a page downloads once its visitor may verify: the script-tag file, and Stripe's
 * loader and the hosted flow's checks, which the element fetches with Stripe.js on the first sign of
 * intent (at once when the element is in view). Languages, English error texts and setup warnings
 * load only when a page needs them.
 */
export const OWN_FILES = ['dist/identity-verify.js', 'dist/stripe-loader.js', 'dist/hosted-flow.js'] as const

/** The weight of what our script tag makes a page download before the click. */
export async function measureOwnScript(root: string, files: readonly string[] = OWN_FILES): Promise<ScriptWeight> {
  const code = (await Promise.all(files.map((file) => readFile(`${root}/${file}`, 'utf8')))).join('\n')
  return {name: 'identity-verify (ours)', file: files.join(' + '), ...compressedSizes(Buffer.from(code))}
}

/**
 * The weight of an alternative: its browser/ESM entry bundled with its dependencies and minified.
 * `installedIn` is the folder whose node_modules holds it.
 */
export async function measurePackage(installedIn: string, name: string): Promise<ScriptWeight> {
  const bundle = await rollup({
    input: name,
    plugins: [nodeResolve({browser: true, rootDir: installedIn}), terser({format: {comments: false}})],
    // Third-party code warns about `this` at top level and the like; none of it changes the size.
    onwarn: () => {},
  })
  try {
    const {output} = await bundle.generate({format: 'es'})
    const entry = output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry)
    if (!entry || entry.type !== 'chunk' || !entry.facadeModuleId) throw new Error(`${name}: rollup produced no entry chunk`)
    // A lazily imported chunk is not downloaded before the first use, so only static ones count.
    const loaded = output.filter((chunk) => chunk.type === 'chunk' && (chunk === entry || entry.imports.includes(chunk.fileName)))
    const code = loaded.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n')
    // Read directly: some packages' `exports` do not expose their package.json.
    const {version} = JSON.parse(await readFile(`${installedIn}/node_modules/${name}/package.json`, 'utf8')) as {version: string}
    const entryFile = entry.facadeModuleId
    return {
      name: `${name}@${version}`,
      file: relative(`${installedIn}/node_modules/${name}`, entryFile),
      ...compressedSizes(Buffer.from(code)),
      entryRaw: (await readFile(entryFile)).length,
    }
  } finally {
    await bundle.close()
  }
}

/** Our script and every alternative, ours first. */
export async function measureScriptWeights(root: string): Promise<ScriptWeight[]> {
  const ours = await measureOwnScript(root)
  const others = []
  for (const name of ALTERNATIVES) others.push(await measurePackage(`${root}/bench`, name))
  return [ours, ...others]
}
