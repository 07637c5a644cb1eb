// Serving the built renderer (Electron's app:// protocol, the loopback harness): a request path maps to
// a file inside the renderer folder or to nothing. Malformed escapes and NULs are 400; anything outside
// the folder (../, encoded or not, absolute paths, symlinks out) or not a regular file is 404.
import { existsSync, realpathSync, statSync } from 'node:fs'
import { extname, join, normalize, resolve, sep } from 'node:path'

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

export type StaticLookup = { status: 200; file: string; contentType: string } | { status: 400 | 404; reason: string }

/** Resolves the URL path `pathname` (still percent-encoded) against `rootDir`. */
export function resolveStaticFile(rootDir: string, pathname: string): StaticLookup {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname === '/' || pathname === '' ? '/index.html' : pathname)
  } catch {
    return { status: 400, reason: 'malformed escape in the request path' }
  }
  if (decoded.includes('\0')) return { status: 400, reason: 'NUL in the request path' }
  const root = resolve(rootDir)
  const rel = normalize(decoded).replace(/^[/\\]+/, '')
  const file = join(root, rel)
  if (!file.startsWith(root + sep) || !existsSync(file)) return { status: 404, reason: 'not found' }
  let real: string
  try {
    real = realpathSync(file)
    const realRoot = realpathSync(root)
    if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) return { status: 404, reason: 'not found' }
  } catch {
    return { status: 404, reason: 'not found' }
  }
  return { status: 200, file: real, contentType: MIME[extname(real).toLowerCase()] ?? 'application/octet-stream' }
}
