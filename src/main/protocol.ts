// The renderer is served from app://radlabel/, a privileged standard scheme, and only from the built
// renderer folder: file:// is never used for the app, so no other local page can pass for it.
import { protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../common/security'
import { resolveStaticFile } from '../node/security/static-files'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: relative URLs and an origin; secure: a secure context. No CORS, no service workers,
    // no bypassing the CSP.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

/** Answers app://radlabel/<path> with files from `rendererDir` and nothing else. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return new Response('bad request', { status: 400 })
    }
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 })
    const found = resolveStaticFile(rendererDir, url.pathname)
    if (found.status !== 200) return new Response(found.reason, { status: found.status })
    return new Response(await readFile(found.file), {
      status: 200,
      headers: {
        'content-type': found.contentType,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store'
      }
    })
  })
}
