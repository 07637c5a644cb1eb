// Electron's security checklist, applied once for every window and web contents the app creates.
import { app, session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY, isAppUrl } from '../common/security'

export { isAppUrl }

export function applySecurityPolicy(devServerUrl: string | undefined): void {
  const ses = session.defaultSession
  // No permission (camera, notifications, geolocation, HID/USB/serial devices, ...) is ever granted.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
  // Zero outbound connections: only the app's own pages (and the dev server while developing) load.
  // data: is the hidden, script-less window that renders evaluation reports to PDF.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAppUrl(details.url, devServerUrl) || details.url.startsWith('devtools://') || details.url.startsWith('data:')
    callback({ cancel: !allowed })
  })
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    // A file dropped on the window, a link, a redirect: the window never leaves the app's origin.
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
