// A minimal stand-in for Electron's main-process API, for the main-process smoke test
// (test/integration/main-smoke.test.ts). It records what the main process asks of Electron (windows and
// their options, IPC handlers, session and permission handlers, protocols, paths), then, once the
// window exists, probes the recorded handlers the way Electron would call them, writes everything to
// RADLABEL_SMOKE_OUT as JSON and exits. Nothing here is RadLabel code: only Electron's side.
import { EventEmitter } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const OUT = process.env.RADLABEL_SMOKE_OUT
const HOME = process.env.RADLABEL_SMOKE_HOME
const APP_PATH = process.env.RADLABEL_SMOKE_APP_PATH
const PROBE_IMPORT = process.env.RADLABEL_SMOKE_IMPORT

const record = {
  privilegedSchemes: [],
  protocolHandlers: [],
  windows: [],
  ipcHandlers: [],
  permissionRequestHandler: false,
  permissionCheckHandler: false,
  devicePermissionHandler: false,
  beforeRequest: false,
  headersReceived: false,
  appEvents: [],
  enableSandbox: false,
  singleInstanceLock: false,
  errorBoxes: [],
  messageBoxes: [],
  utilityForks: [],
  exitCode: null,
  probes: {}
}
const handlers = { protocol: new Map(), ipc: new Map(), permissionRequest: null, permissionCheck: null, devicePermission: null, beforeRequest: null, headersReceived: null }

function finish(code) {
  if (OUT) writeFileSync(OUT, JSON.stringify(record, null, 2))
  process.exit(code)
}

class StubApp extends EventEmitter {
  isPackaged = false
  whenReady() {
    return new Promise((resolve) => setImmediate(resolve))
  }
  requestSingleInstanceLock() {
    record.singleInstanceLock = true
    return true
  }
  enableSandbox() {
    record.enableSandbox = true
  }
  on(event, listener) {
    record.appEvents.push(event)
    return super.on(event, listener)
  }
  getPath(name) {
    const dir = join(HOME, name)
    mkdirSync(dir, { recursive: true })
    return dir
  }
  getAppPath() {
    return APP_PATH
  }
  quit() {}
  exit(code) {
    record.exitCode = code
    finish(code)
  }
}
export const app = new StubApp()

class StubWebContents extends EventEmitter {
  constructor(url) {
    super()
    this.mainFrame = { get url() { return url() } }
    this.sent = []
  }
  send(channel) {
    this.sent.push(channel)
  }
  executeJavaScript() {
    return Promise.resolve()
  }
  setWindowOpenHandler() {}
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.url = null
    this.webContents = new StubWebContents(() => this.url)
    this.entry = { options, loaded: [] }
    record.windows.push(this.entry)
    app.emit('web-contents-created', {}, this.webContents)
    if (record.windows.length === 1) setTimeout(() => void probe(this), 50)
  }
  loadURL(url) {
    this.url = url
    this.entry.loaded.push(url)
    return Promise.resolve()
  }
  loadFile(file) {
    this.url = `file://${file}`
    this.entry.loaded.push(this.url)
    return Promise.resolve()
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false
  }
  destroy() {}
}

export const ipcMain = {
  handle(channel, fn) {
    record.ipcHandlers.push(channel)
    handlers.ipc.set(channel, fn)
  },
  on() {}
}

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    record.privilegedSchemes.push(...schemes)
  },
  handle(scheme, fn) {
    record.protocolHandlers.push(scheme)
    handlers.protocol.set(scheme, fn)
  }
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler(fn) {
      record.permissionRequestHandler = true
      handlers.permissionRequest = fn
    },
    setPermissionCheckHandler(fn) {
      record.permissionCheckHandler = true
      handlers.permissionCheck = fn
    },
    setDevicePermissionHandler(fn) {
      record.devicePermissionHandler = true
      handlers.devicePermission = fn
    },
    webRequest: {
      onBeforeRequest(fn) {
        record.beforeRequest = true
        handlers.beforeRequest = fn
      },
      onHeadersReceived(fn) {
        record.headersReceived = true
        handlers.headersReceived = fn
      }
    }
  }
}

export const dialog = {
  showErrorBox(title, content) {
    record.errorBoxes.push({ title, content })
  },
  showMessageBox(options) {
    record.messageBoxes.push(options)
    return Promise.resolve({ response: 0 })
  },
  showOpenDialog() {
    return Promise.resolve({ canceled: true, filePaths: [] })
  },
  showSaveDialog() {
    return Promise.resolve({ canceled: true })
  }
}

export const Menu = { buildFromTemplate: (t) => t, setApplicationMenu() {} }
export const shell = { showItemInFolder() {}, openExternal() {} }
export const utilityProcess = {
  fork(modulePath) {
    record.utilityForks.push(modulePath)
    throw new Error('utility processes are not available in the smoke test')
  }
}

// ---- Probes: call the recorded handlers the way Electron would. ----

async function callIpc(win, frameUrl, name, input) {
  const fn = handlers.ipc.get('radlabel:call')
  const frame = frameUrl === null ? win.webContents.mainFrame : { url: frameUrl }
  return fn({ sender: win.webContents, senderFrame: frame }, name, input)
}

async function probe(win) {
  const p = record.probes
  try {
    // IPC: the app's own page may call; a page from anywhere else (file://, another origin) may not.
    p.ipcFromApp = await callIpc(win, null, 'app.info', {})
    p.ipcFromFile = await callIpc(win, 'file:///tmp/dropped.html', 'app.info', {})
    p.ipcFromOtherOrigin = await callIpc(win, 'app://evil/index.html', 'app.info', {})
    // The renderer over app://: its files, nothing outside its folder, 400 for malformed escapes.
    const serve = handlers.protocol.get('app')
    const status = async (url, method = 'GET') => {
      const res = await serve(new Request(url, { method }))
      return { status: res.status, csp: res.headers.get('content-security-policy'), type: res.headers.get('content-type') }
    }
    p.protocol = {}
    for (const url of [
      'app://radlabel/index.html',
      'app://radlabel/',
      'app://radlabel/../../package.json',
      'app://radlabel/%2e%2e/%2e%2e/package.json',
      'app://radlabel/..%2f..%2fpackage.json',
      'app://radlabel/%E0%A4%A',
      'app://other/index.html'
    ]) {
      p.protocol[url] = await status(url)
    }
    // Requests and navigation: only the app's own pages.
    const cancel = (url) => new Promise((resolve) => handlers.beforeRequest({ url }, (r) => resolve(r.cancel)))
    p.beforeRequest = {}
    for (const url of ['app://radlabel/index.html', 'file:///etc/passwd', 'https://example.org/', 'http://127.0.0.1:5170/']) p.beforeRequest[url] = await cancel(url)
    const navigate = (url) => {
      let prevented = false
      win.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    p.navigationPrevented = {}
    for (const url of ['app://radlabel/index.html#/import', 'file:///home/user/report.html', 'https://example.org/']) p.navigationPrevented[url] = navigate(url)
    let attachPrevented = false
    win.webContents.emit('will-attach-webview', { preventDefault: () => (attachPrevented = true) })
    p.webviewPrevented = attachPrevented
    p.permissionRequest = await new Promise((resolve) => handlers.permissionRequest({}, 'media', resolve))
    p.permissionCheck = handlers.permissionCheck({}, 'clipboard-read')
    p.devicePermission = handlers.devicePermission({})
    const headers = await new Promise((resolve) => handlers.headersReceived({ responseHeaders: {} }, (r) => resolve(r.responseHeaders)))
    p.cspHeader = headers['Content-Security-Policy']
    // A real import through IPC in the import worker thread: the worker file must exist and load.
    if (PROBE_IMPORT) {
      const started = await callIpc(win, null, 'import.start', { files: [{ path: PROBE_IMPORT, options: { format: 'csv' } }] })
      p.importStarted = started.ok
      if (started.ok) {
        const id = started.value.id
        for (let i = 0; i < 400; i++) {
          const job = await callIpc(win, null, 'jobs.get', { id })
          if (job.ok && !['running', 'queued'].includes(job.value.status)) {
            p.importJob = job.value
            break
          }
          await new Promise((r) => setTimeout(r, 50))
        }
      } else p.importError = started.error
    }
  } catch (err) {
    p.error = String(err && err.stack ? err.stack : err)
  }
  finish(0)
}
