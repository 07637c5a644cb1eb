// Electron main: windows, IPC registration, dialogs and menu. All the work is in src/node.
import { app, BrowserWindow, dialog, ipcMain, Menu, shell, utilityProcess } from 'electron'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../common/ipc/contract'
import { utilityProcessSpawner } from '../node/engines/llm/client'
import { setHostSpawner } from '../node/engines/llm/engine'
import { AppError, formatError } from '../common/errors'
import { createSession, type AppSession } from '../node/services/session'
import { openWorkspace } from '../node/store/db'
import { electronSqliteBinding } from './native'
import { APP_ENTRY_URL } from '../common/security'
import { bundleFiles, missingBundleFiles } from './bundle'
import { registerAppScheme, serveRenderer } from './protocol'
import { applySecurityPolicy, isAppUrl } from './security'

const devServerUrl = process.env.ELECTRON_RENDERER_URL || undefined
const bundle = bundleFiles(import.meta.dirname)
let mainWindow: BrowserWindow | null = null
let appSession: AppSession | null = null

function settingsFile(): string {
  return join(app.getPath('userData'), 'settings.json')
}

function lastWorkspacePath(): string {
  try {
    const saved = JSON.parse(readFileSync(settingsFile(), 'utf8')) as { workspacePath?: string }
    if (saved.workspacePath && existsSync(saved.workspacePath)) return saved.workspacePath
  } catch {
    // First start: no settings yet.
  }
  return join(app.getPath('userData'), 'workspace.db')
}

function rememberWorkspace(path: string): void {
  writeFileSync(settingsFile(), JSON.stringify({ workspacePath: path }, null, 2))
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'RadLabel',
    webPreferences: {
      preload: bundle.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  // The renderer comes from app://radlabel/ (src/main/protocol.ts), never from file://.
  void win.loadURL(devServerUrl ?? APP_ENTRY_URL)
  return win
}

function registerIpc(session: AppSession): void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, input: unknown) => {
    // Only the main window's own top frame, showing the app's own page, may call.
    const frame = event.senderFrame
    if (!mainWindow || event.sender !== mainWindow.webContents || !frame || frame !== mainWindow.webContents.mainFrame || !isAppUrl(frame.url, devServerUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the RadLabel window.' } }
    }
    return session.call(name as string, input)
  })
}

function buildMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'About RadLabel',
          click: () => {
            if (mainWindow) void mainWindow.webContents.executeJavaScript("window.location.hash = '#/about'")
          }
        },
        { label: 'Show workspace folder', click: () => appSession && shell.showItemInFolder(appSession.ctx.workspace.path) }
      ]
    }
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

async function start(): Promise<void> {
  const missing = missingBundleFiles(bundle, devServerUrl)
  if (missing.length > 0) {
    dialog.showErrorBox('RadLabel cannot start', `This installation is incomplete; missing: ${missing.join(', ')}. Reinstall RadLabel.`)
    app.exit(1)
    return
  }
  applySecurityPolicy(devServerUrl)
  serveRenderer(dirname(bundle.renderer))
  let nativeBinding: string
  try {
    nativeBinding = electronSqliteBinding()
    // Worker threads that open the workspace themselves (import) need the same Electron-ABI binding.
    process.env.RADLABEL_SQLITE_BINDING ??= nativeBinding
  } catch (err) {
    dialog.showErrorBox('RadLabel cannot start', (err as Error).message)
    app.exit(1)
    return
  }
  // llama.cpp runs in a utility process, so a native crash fails the job, not the app. Where utility
  // processes misbehave (electron#41513, Metal on some macOS versions) the engine's isolation setting
  // 'in-process' is the fallback.
  setHostSpawner(utilityProcessSpawner(utilityProcess, bundle.llmHost))
  const remembered = lastWorkspacePath()
  const defaultPath = join(app.getPath('userData'), 'workspace.db')
  // A remembered workspace that cannot be opened now (moved to read-only media, damaged, not a
  // workspace) must not stop the app: say why and open the default one instead.
  const dbPath = await openableWorkspace(remembered, defaultPath, nativeBinding)
  appSession = await createSession({
    dbPath,
    openOptions: { nativeBinding },
    platform: {
      runtime: 'electron',
      openFiles: async (o) => {
        const properties: ('openFile' | 'openDirectory' | 'multiSelections' | 'promptToCreate')[] = [o.directory ? 'openDirectory' : 'openFile']
        if (o.multiple) properties.push('multiSelections')
        if (!o.directory) properties.push('promptToCreate')
        const result = await dialog.showOpenDialog(mainWindow!, { title: o.title, properties, filters: o.filters })
        return result.canceled ? [] : result.filePaths
      },
      printToPdf: async (html) => {
        // A hidden, sandboxed window with no preload renders the self-contained report; nothing loads from outside.
        const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, javascript: false } })
        try {
          await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`)
          return await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
        } finally {
          win.destroy()
        }
      },
      saveFile: async (o) => {
        const result = await dialog.showSaveDialog(mainWindow!, { title: o.title, defaultPath: o.defaultPath })
        return result.canceled || !result.filePath ? null : result.filePath
      }
    },
    emit: (event, payload) => {
      if (event === 'workspace.changed') rememberWorkspace((payload as { path: string }).path)
      mainWindow?.webContents.send(IPC_EVENT_CHANNEL, { event, payload })
    }
  })
  rememberWorkspace(appSession.ctx.workspace.path)
  registerIpc(appSession)
  buildMenu()
  mainWindow = createWindow()
}

async function openableWorkspace(remembered: string, fallback: string, nativeBinding: string): Promise<string> {
  if (remembered === fallback) return remembered
  try {
    openWorkspace(remembered, { nativeBinding }).close()
    return remembered
  } catch (err) {
    await dialog.showMessageBox({
      type: 'warning',
      title: 'RadLabel',
      message: `The last workspace could not be opened, so the default workspace is opened instead.`,
      detail: formatError(AppError.from(err))
    })
    return fallback
  }
}

// Before the app is ready: app:// must be registered as a privileged scheme.
registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.enableSandbox()
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
  const failed = (err: unknown): void => {
    dialog.showErrorBox('RadLabel cannot start', formatError(AppError.from(err)))
    app.exit(1)
  }
  app.whenReady().then(start).catch(failed)
  app.on('window-all-closed', () => app.quit())
  let closing = false
  app.on('before-quit', (event) => {
    if (closing || !appSession) return
    event.preventDefault()
    closing = true
    void appSession.close().finally(() => app.quit())
  })
}
