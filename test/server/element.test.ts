import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {Hono} from 'hono'
import {serveElement} from '../../server/index.js'

const dist = mkdtempSync(join(tmpdir(), 'identity-verify-dist-'))
after(() => rmSync(dist, {recursive: true, force: true}))
mkdirSync(join(dist, 'locales'))
writeFileSync(join(dist, 'identity-verify.js'), 'export const element = 1\n')
writeFileSync(join(dist, 'locales/fr.js'), 'export default {}\n')

/** A site serving the element's files at its root, as `npm start` does, and its own answer for every other path. */
function site(folder = dist) {
  const files = serveElement({dist: folder})
  const app = new Hono()
  app.route('/', files)
  app.get('*', (c) => c.text('the site', 404))
  return {app, files}
}

describe("the element's files", () => {
  it('let any site load the script and its language modules, and revalidate the plain path', async () => {
    const {app} = site()
    for (const path of ['/identity-verify.js', '/locales/fr.js']) {
      const response = await app.request(`http://localhost${path}`, {headers: {origin: 'https://shop.example'}})
      assert.equal(response.status, 200, path)
      assert.equal(response.headers.get('access-control-allow-origin'), '*')
      assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin')
      assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8')
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(response.headers.get('cache-control'), 'no-cache')
      assert.match(response.headers.get('etag') ?? '', /^"[\w-]{22}"$/)
    }
  })

  it('answer 304 to a revalidation with the same ETag, and 200 once the build changed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'identity-verify-dist-'))
    try {
      writeFileSync(join(folder, 'identity-verify.js'), 'one\n')
      const {app} = site(folder)
      const etag = (await app.request('/identity-verify.js')).headers.get('etag')!
      const again = await app.request('/identity-verify.js', {headers: {'if-none-match': etag}})
      assert.equal(again.status, 304)
      assert.equal(again.headers.get('etag'), etag)
      assert.equal(again.headers.get('access-control-allow-origin'), '*')
      assert.equal(await again.text(), '')
      writeFileSync(join(folder, 'identity-verify.js'), 'two, longer\n')
      const changed = await app.request('/identity-verify.js', {headers: {'if-none-match': etag}})
      assert.equal(changed.status, 200)
      assert.equal(await changed.text(), 'two, longer\n')
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })

  it('serve the build under a versioned path cached for a year, the modules beside it', async () => {
    const {app, files} = site()
    const path = files.scriptPath()
    assert.match(path, /^\/v\/[0-9a-f]{12}\/identity-verify\.js$/)
    for (const file of [path, path.replace('identity-verify.js', 'locales/fr.js')]) {
      const response = await app.request(file)
      assert.equal(response.status, 200, file)
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable')
      assert.equal(response.headers.get('access-control-allow-origin'), '*')
    }
  })

  it('serve an older version path the current build, revalidated rather than cached for a year', async () => {
    const {app} = site()
    const response = await app.request('/v/000000000000/identity-verify.js')
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('cache-control'), 'no-cache')
    assert.equal(await response.text(), 'export const element = 1\n')
  })

  it('leave every other path to the site, and say how to build when the script is missing', async () => {
    const {app} = site()
    for (const path of ['/locales/xx.js', '/../package.js', '/demo.css', '/v/abc/identity-verify.js']) {
      assert.equal(await (await app.request(path)).text(), 'the site', path)
    }
    const empty = mkdtempSync(join(tmpdir(), 'identity-verify-dist-'))
    try {
      const missing = await site(empty).app.request('/identity-verify.js')
      assert.equal(missing.status, 404)
      assert.match(await missing.text(), /npm run build/)
      assert.equal(site(empty).files.scriptPath(), '/identity-verify.js')
    } finally {
      rmSync(empty, {recursive: true, force: true})
    }
  })

  it('answer under the prefix a site mounts them at, with the same headers, and leave the rest of the site alone', async () => {
    const files = serveElement({dist})
    const app = new Hono()
    app.route('/identity-verify', files)
    app.get('*', (c) => c.text('the site', 404))
    const script = await app.request('/identity-verify/identity-verify.js', {headers: {origin: 'https://shop.example'}})
    assert.equal(script.status, 200)
    assert.equal(await script.text(), 'export const element = 1\n')
    assert.equal(script.headers.get('access-control-allow-origin'), '*')
    assert.equal(script.headers.get('cross-origin-resource-policy'), 'cross-origin')
    assert.equal(script.headers.get('cache-control'), 'no-cache')
    const versioned = await app.request(`/identity-verify${files.scriptPath().replace('identity-verify.js', 'locales/fr.js')}`)
    assert.equal(versioned.status, 200)
    assert.equal(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal(versioned.headers.get('content-type'), 'text/javascript; charset=utf-8')
    const revalidated = await app.request('/identity-verify/locales/fr.js', {headers: {'if-none-match': versioned.headers.get('etag')!}})
    assert.equal(revalidated.status, 304)
    for (const path of ['/identity-verify.js', '/locales/fr.js', '/identity-verify/other.css']) assert.equal(await (await app.request(path)).text(), 'the site', path)
  })

  it("serve the package's own build without being told where it is", async () => {
    const app = new Hono().route('/identity-verify', serveElement())
    const response = await app.request('/identity-verify/identity-verify.js')
    assert.equal(response.status, 200, 'run npm run build first')
    assert.match(await response.text(), /identity-verify/)
  })
})
