// "Deploy to Cloudflare": the repository's address is written once (package.json's `repository`);
// the button of the README, of the deploy guide and of /embed are derived from it, and the values the
// deploy flow asks for are the server's own variables, each described.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {repositoryWebUrl} from '../../demo/assets.js'
import {deployToCloudflareUrl} from '../../demo/pages/embed.js'
import {readDemoBuild} from '../../demo/read-build.js'
import {demoRoutes} from '../../demo/routes.js'
import {readDoc, root} from './markdown.js'

const manifest = JSON.parse(readDoc('package.json')) as {
  repository?: {url?: string}
  scripts: Record<string, string>
  cloudflare?: {bindings?: Record<string, {description?: string}>}
}
const repository = repositoryWebUrl(manifest.repository)
/** What Cloudflare's deploy flow asks for: `.dev.vars.example`'s names (comments and blank lines aside). */
const asked = readDoc('.dev.vars.example')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => line.split('=')[0]!.trim())

describe('the Deploy to Cloudflare button', () => {
  it('deploys the repository package.json names, from its root', () => {
    assert.equal(repository, 'https://github.com/identity-verify/identity-verify')
    assert.equal(deployToCloudflareUrl(repository!), 'https://deploy.workers.cloudflare.com/?url=https://github.com/identity-verify/identity-verify')
  })

  for (const path of ['README.md', 'docs/deploy.md']) {
    it(`is in ${path} with that address, once`, () => {
      const buttons = [...readDoc(path).matchAll(/\[!\[Deploy to Cloudflare\]\(https:\/\/deploy\.workers\.cloudflare\.com\/button\)\]\(([^)]+)\)/g)].map((m) => m[1])
      assert.deepEqual(buttons, [deployToCloudflareUrl(repository!)])
    })
  }

  it('is on /embed with that address, as a link the page’s Content-Security-Policy allows', async () => {
    const options = {publicUrl: 'https://your-server.example', publishableKey: 'pk_live_51AbCdEfGh', scriptPath: '/identity-verify.js', stripeJsUrl: null, dashboardUrl: null}
    const html = await (await demoRoutes(options, readDemoBuild()).request('/embed')).text()
    const links = [...html.matchAll(/<a class="button-link" href="([^"]+)">Deploy to Cloudflare<\/a>/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))
    assert.deepEqual(links, [deployToCloudflareUrl(repository!)])
    assert.doesNotMatch(html, /deploy\.workers\.cloudflare\.com\/button/, 'no image from another origin')
    // The guide it points to, in the same repository, with the section the README links to.
    assert.match(html, new RegExp(`<a href="${repository}/blob/main/docs/deploy\\.md#deploy-to-cloudflare">the deploy guide</a>`))
    assert.match(readDoc('README.md'), /\(docs\/deploy\.md#deploy-to-cloudflare\)/)
  })

  it('asks for the five values a server with real keys needs, each a variable the server reads, each described', () => {
    assert.deepEqual(asked, ['STRIPE_SECRET_KEY', 'STRIPE_PUBLISHABLE_KEY', 'STRIPE_WEBHOOK_SECRET', 'PUBLIC_URL', 'ALLOWED_ORIGINS'])
    const config = readFileSync(join(root, 'site/config.ts'), 'utf8')
    for (const name of asked) {
      assert.match(config, new RegExp(`env\\.${name}\\b`), `site/config.ts does not read ${name}`)
      assert.ok((manifest.cloudflare?.bindings?.[name]?.description ?? '').length > 20, `package.json's cloudflare.bindings does not describe ${name}`)
    }
    assert.deepEqual(Object.keys(manifest.cloudflare?.bindings ?? {}).sort(), [...asked].sort(), 'a description for a value that is not asked')
  })

  it('finds the Worker’s configuration at the repository’s root, where the deploy flow reads it, and a deploy script that packs the files first', () => {
    const config = readDoc('wrangler.jsonc')
    const main = /"main":\s*"([^"]+)"/.exec(config)?.[1]
    assert.equal(main, 'runtimes/workers.ts')
    assert.ok(existsSync(join(root, main)))
    assert.match(manifest.scripts.deploy ?? '', /runtimes\/pack-widget\.ts && .*wrangler deploy$/)
  })
})
