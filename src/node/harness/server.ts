// Serves the built renderer and the real handler table over loopback HTTP, so the UI can be driven
// in a plain browser (Chromium in tests, `npm run harness` by hand) without the Electron binary.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import type { EventName, Events } from '../../common/ipc/contract'
import { CONTENT_SECURITY_POLICY } from '../../common/security'
import type { PlatformHooks } from '../services/context'
import { resolveStaticFile } from '../security/static-files'
import { createSession, type AppSession } from '../services/session'

export interface HarnessOptions {
  dbPath: string
  /** 0 picks a free port. */
  port?: number
  rendererDir?: string
  platform?: Partial<PlatformHooks>
}

export interface Harness {
  /** The server's origin, http://127.0.0.1:PORT (no token: add it, or open `launchUrl`). */
  url: string
  /** Random per launch; every /api/ request must carry it (header x-radlabel-token or ?token=). */
  token: string
  /** `url` plus the token: what a person opens. The page keeps the token for the tab's lifetime. */
  launchUrl: string
  session: AppSession
  close(): Promise<void>
}


const MAX_BODY_BYTES = 8 * 1024 * 1024
export const HARNESS_TOKEN_HEADER = 'x-radlabel-token'

class BodyTooLarge extends Error {}

export const DEFAULT_RENDERER_DIR = resolve(import.meta.dirname, '../../../out/renderer')

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR)
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer at ${rendererDir}. Run "npm run build" first.`)
  }
  // Any local process (another user's included) can reach a loopback port: a secret that only the
  // person who started the harness sees (the printed URL) is what lets a request in.
  const token = randomBytes(32).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const hasToken = (req: IncomingMessage, url: URL): boolean => {
    const header = req.headers[HARNESS_TOKEN_HEADER]
    const given = Buffer.from(String((typeof header === 'string' ? header : undefined) ?? url.searchParams.get('token') ?? ''))
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes)
  }
  const listeners = new Set<ServerResponse>()
  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    const data = `data: ${JSON.stringify({ event, payload })}\n\n`
    for (const res of listeners) res.write(data)
  }
  const session = await createSession({
    dbPath: options.dbPath,
    platform: { runtime: 'harness', ...options.platform },
    emit
  })

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(err))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only loopback clients addressing us by a loopback name (defends against DNS rebinding).
    const host = (req.headers.host ?? '').replace(/:\d+$/, '')
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
      res.writeHead(403).end('forbidden')
      return
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1')
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed request URL')
      return
    }
    if (url.pathname.startsWith('/api/') && !sameOrigin(req)) {
      // Another site open in the same browser must not drive the handlers (no CORS is ever granted).
      res.writeHead(403).end('forbidden')
      return
    }
    if (url.pathname.startsWith('/api/') && !hasToken(req, url)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong harness token: open the URL the harness printed')
      return
    }
    if (url.pathname === '/api/call' && req.method === 'POST') {
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        res.writeHead(415).end('calls must be application/json')
        return
      }
      const declared = Number(req.headers['content-length'] ?? 0)
      if (declared > MAX_BODY_BYTES) {
        tooLarge(req, res)
        return
      }
      let body: string
      try {
        body = await readBody(req)
      } catch (err) {
        if (!(err instanceof BodyTooLarge)) throw err
        tooLarge(req, res)
        return
      }
      let parsed: { name?: unknown; input?: unknown }
      try {
        parsed = JSON.parse(body) as { name?: unknown; input?: unknown }
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ ok: false, error: { code: 'invalid_input', message: 'Request body is not JSON.' } }))
        return
      }
      const outcome = await session.call(String(parsed.name), parsed.input)
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify(outcome))
      return
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(': connected\n\n')
      listeners.add(res)
      req.on('close', () => listeners.delete(res))
      return
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end()
      return
    }
    serveStatic(url.pathname, res)
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const found = resolveStaticFile(rendererDir, pathname)
    if (found.status !== 200) {
      res.writeHead(found.status, { 'content-type': 'text/plain' }).end(found.reason)
      return
    }
    res.writeHead(200, {
      'content-type': found.contentType,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff'
    })
    createReadStream(found.file).pipe(res)
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    url: origin,
    token,
    launchUrl: `${origin}/?token=${token}`,
    session,
    close: async () => {
      for (const res of listeners) res.end()
      listeners.clear()
      const closed = new Promise<void>((r) => server.close(() => r()))
      server.closeAllConnections()
      await closed
      await session.close()
    }
  }
}

/** Browsers send Origin on cross-site requests; when present it must be this server's own. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (!origin) return true
  try {
    const o = new URL(origin)
    return ['127.0.0.1', 'localhost', '[::1]'].includes(o.hostname) && o.host === req.headers.host
  } catch {
    return false
  }
}

/** 413, then the rest of the body is read and dropped so the client gets the answer, not a reset. */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' })
  res.end(JSON.stringify({ ok: false, error: { code: 'invalid_input', message: `Request body is larger than ${MAX_BODY_BYTES} bytes.` } }))
  req.resume()
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        over = true
        chunks.length = 0
        req.off('data', onData)
        reject(new BodyTooLarge())
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => {
      if (!over) resolveBody(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
}
