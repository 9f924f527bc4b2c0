import {readFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import {extname, join, normalize} from 'node:path'

/** A bare static file server: another site, on another origin, that knows nothing of the product. */
export interface StaticSite {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css'}

/** Serves the files of `folder` on 127.0.0.1 (`/` is `index.html`), as any web host would. */
export async function startStaticSite(folder: string, port = 0): Promise<StaticSite> {
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname
    const file = normalize(join(folder, path.endsWith('/') ? `${path}index.html` : path))
    try {
      if (!file.startsWith(folder)) throw new Error('outside the folder')
      const body = await readFile(file)
      response.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream'}).end(body)
    } catch {
      response.writeHead(404, {'content-type': 'text/plain'}).end('Not found')
    }
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve))
  const {port: listening} = server.address() as {port: number}
  return {
    url: `http://127.0.0.1:${listening}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
