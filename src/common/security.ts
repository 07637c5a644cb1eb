// The renderer's Content Security Policy: our own scripts and styles only, no remote anything.
// 'unsafe-inline' for styles lets React set style attributes; scripts stay strict.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** True for the app's own pages: the built renderer on file://, or the dev server while developing. */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  if (devServerUrl) {
    try {
      const dev = new URL(devServerUrl)
      const target = new URL(url)
      if (target.origin === dev.origin) return true
    } catch {
      return false
    }
  }
  return url.startsWith('file://')
}
