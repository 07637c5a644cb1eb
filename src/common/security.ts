// The renderer's Content Security Policy and what counts as the app's own page.
// Styles: our stylesheet only. React's style props go through the CSSOM (element.style), which a CSP does
// not restrict, so no 'unsafe-inline' is needed; inline <style> elements and style="" markup are refused.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/**
 * The desktop app serves its renderer from this privileged scheme (never file://, whose pages would all
 * count as the app): app://radlabel/index.html. Only pages of this origin get the IPC bridge's calls.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'radlabel'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** True for the app's own pages: app://radlabel/..., or the dev server's origin while developing. */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return false
  }
  if (devServerUrl) {
    try {
      if (target.origin === new URL(devServerUrl).origin) return true
    } catch {
      return false
    }
  }
  return target.protocol === `${APP_SCHEME}:` && target.host === APP_HOST && !target.username && !target.password && !target.port
}
