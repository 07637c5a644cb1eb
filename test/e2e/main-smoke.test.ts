// The built Electron main process, loaded under plain Node with a stand-in for the `electron` module
// (test/support/electron-stub): fails when the main bundle is broken, even where Electron's binary
// cannot be installed. Checks the window's security options, the IPC and navigation guards, the
// session's permission handlers, the app:// protocol, and that every file the main process loads exists.
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/workspace'

const require = createRequire(import.meta.url)
const ROOT = resolve(import.meta.dirname, '../..')
const OUT = join(ROOT, 'out')
const REGISTER = join(ROOT, 'test/support/electron-stub/register.mjs')
const dir = tempDir('radlabel-main-smoke-')
const copies: string[] = []
afterAll(() => {
  dir.cleanup()
  for (const c of copies) rmSync(c, { recursive: true, force: true })
})

// Under Node, the Node build of better-sqlite3 stands in for the Electron-ABI one the app looks for.
const appPath = join(dir.dir, 'app')
mkdirSync(join(appPath, 'native', 'electron'), { recursive: true })
symlinkSync(
  join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node'),
  join(appPath, 'native', 'electron', 'better_sqlite3.node')
)

interface Recording {
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[]
  protocolHandlers: string[]
  windows: { options: { webPreferences: Record<string, unknown> }; loaded: string[] }[]
  ipcHandlers: string[]
  permissionRequestHandler: boolean
  permissionCheckHandler: boolean
  devicePermissionHandler: boolean
  beforeRequest: boolean
  headersReceived: boolean
  appEvents: string[]
  enableSandbox: boolean
  singleInstanceLock: boolean
  errorBoxes: { title: string; content: string }[]
  messageBoxes: { message: string; detail: string }[]
  exitCode: number | null
  probes: Record<string, unknown> & {
    protocol: Record<string, { status: number; csp: string | null; type: string | null }>
    beforeRequest: Record<string, boolean>
    navigationPrevented: Record<string, boolean>
    importJob?: { status: string; result: { added: number } }
    error?: string
  }
}

/** Runs `<outDir>/main/index.js` under Node with the stand-in; returns the exit status and the recording. */
function runMain(outDir: string, env: Record<string, string> = {}, home = join(dir.dir, `home-${Math.random().toString(36).slice(2)}`)): { code: number | null; stderr: string; rec: Recording | null } {
  const recFile = join(dir.dir, `rec-${Math.random().toString(36).slice(2)}.json`)
  const base = { ...process.env }
  delete base.ELECTRON_RENDERER_URL // the built renderer, not a dev server
  const r = spawnSync(process.execPath, ['--import', REGISTER, join(outDir, 'main', 'index.js')], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...base, RADLABEL_SMOKE_OUT: recFile, RADLABEL_SMOKE_HOME: home, RADLABEL_SMOKE_APP_PATH: appPath, ...env }
  })
  return { code: r.status, stderr: r.stderr, rec: existsSync(recFile) ? (JSON.parse(readFileSync(recFile, 'utf8')) as Recording) : null }
}

/** A copy of the build inside out/ (so its imports still resolve through the repository's node_modules). */
function copyOfBuild(): string {
  const copy = join(OUT, `.smoke-${Math.random().toString(36).slice(2)}`)
  copies.push(copy)
  for (const part of ['main', 'preload', 'renderer']) cpSync(join(OUT, part), join(copy, part), { recursive: true })
  return copy
}

describe('the built main process', () => {
  it('is built (npm run build) before this test', () => {
    expect(existsSync(join(OUT, 'main', 'index.js')), 'out/main/index.js is missing: run "npm run build" first').toBe(true)
  })

  it('starts, with the security options, guards and paths a hospital review expects', () => {
    const csv = join(dir.dir, 'reports.csv')
    writeFileSync(csv, 'accession,report\n' + Array.from({ length: 50 }, (_, i) => `S${i},"FINDINGS: Synthetic smoke report ${i}."`).join('\n') + '\n')
    const { code, stderr, rec } = runMain(OUT, { RADLABEL_SMOKE_IMPORT: csv, RADLABEL_IMPORT_THREAD: '1' })
    expect(rec, stderr).not.toBeNull()
    expect(rec!.probes.error, stderr).toBeUndefined()
    expect(rec!.errorBoxes).toEqual([])
    expect(code, stderr).toBe(0)

    // One window, sandboxed and isolated, its preload from the build, its page from app://.
    expect(rec!.windows).toHaveLength(1)
    const prefs = rec!.windows[0].options.webPreferences
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true })
    expect(prefs.nodeIntegrationInWorker ?? false).toBe(false)
    expect(prefs.webviewTag ?? false).toBe(false)
    expect(prefs.allowRunningInsecureContent ?? false).toBe(false)
    expect(prefs.preload).toBe(join(OUT, 'preload', 'index.cjs'))
    expect(existsSync(prefs.preload as string)).toBe(true)
    expect(rec!.windows[0].loaded).toEqual(['app://radlabel/index.html'])
    expect(rec!.enableSandbox).toBe(true)
    expect(rec!.singleInstanceLock).toBe(true)

    // app:// is privileged as a standard, secure scheme, and serves only the renderer folder.
    expect(rec!.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
    expect(rec!.protocolHandlers).toEqual(['app'])
    const served = rec!.probes.protocol
    expect(served['app://radlabel/index.html']).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' })
    expect(served['app://radlabel/index.html'].csp).toContain("default-src 'self'")
    expect(served['app://radlabel/'].status).toBe(200)
    expect(served['app://radlabel/../../package.json'].status).toBe(404)
    expect(served['app://radlabel/%2e%2e/%2e%2e/package.json'].status).toBe(404)
    expect(served['app://radlabel/..%2f..%2fpackage.json'].status).toBe(404)
    expect(served['app://radlabel/%E0%A4%A'].status).toBe(400)
    expect(served['app://other/index.html'].status).toBe(404)
    expect(existsSync(join(OUT, 'renderer', 'index.html'))).toBe(true)

    // IPC only from the app's own page.
    expect(rec!.ipcHandlers).toContain('radlabel:call')
    expect(rec!.probes.ipcFromApp).toMatchObject({ ok: true, value: { runtime: 'electron' } })
    expect(rec!.probes.ipcFromFile).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(rec!.probes.ipcFromOtherOrigin).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    // No request, navigation or permission beyond the app.
    expect(rec!.probes.beforeRequest).toEqual({
      'app://radlabel/index.html': false,
      'file:///etc/passwd': true,
      'https://example.org/': true,
      'http://127.0.0.1:5170/': true
    })
    expect(rec!.probes.navigationPrevented).toEqual({
      'app://radlabel/index.html#/import': false,
      'file:///home/user/report.html': true,
      'https://example.org/': true
    })
    expect(rec!.probes.webviewPrevented).toBe(true)
    expect(rec!.probes.permissionRequest).toBe(false)
    expect(rec!.probes.permissionCheck).toBe(false)
    expect(rec!.probes.devicePermission).toBe(false)
    expect(rec!.probes.cspHeader).toEqual([expect.stringContaining("script-src 'self'")])

    // The import worker thread loads from the build and does the work.
    expect(existsSync(join(OUT, 'main', 'importWorker.js'))).toBe(true)
    expect(rec!.probes.importJob).toMatchObject({ status: 'completed', result: { added: 50 } })
    // The LLM engine host is in the build (it runs in a utility process, which Node cannot give).
    expect(existsSync(join(OUT, 'main', 'llm-host.js'))).toBe(true)
  }, 120_000)

  it('opens the default workspace, saying why, when the remembered one is not a RadLabel workspace', () => {
    const home = join(dir.dir, 'home-foreign')
    const foreign = join(dir.dir, 'foreign.db')
    const db = new Database(foreign)
    db.exec('CREATE TABLE notes (t TEXT)')
    db.close()
    mkdirSync(join(home, 'userData'), { recursive: true })
    writeFileSync(join(home, 'userData', 'settings.json'), JSON.stringify({ workspacePath: foreign }))
    const { code, stderr, rec } = runMain(OUT, {}, home)
    expect(code, stderr).toBe(0)
    expect(rec!.messageBoxes).toHaveLength(1)
    expect(rec!.messageBoxes[0].detail).toContain(`${foreign} is a SQLite database but not a RadLabel workspace`)
    expect(rec!.probes.ipcFromApp).toMatchObject({ ok: true, value: { workspacePath: join(home, 'userData', 'workspace.db') } })
  }, 60_000)

  it('fails, naming the file, when a file it loads is missing from the build', () => {
    for (const missing of [join('main', 'llm-host.js'), join('main', 'importWorker.js'), join('preload', 'index.cjs'), join('renderer', 'index.html')]) {
      const copy = copyOfBuild()
      rmSync(join(copy, missing))
      const { code, rec } = runMain(copy)
      expect(code, missing).toBe(1)
      expect(rec!.windows, missing).toEqual([])
      expect(rec!.errorBoxes[0].content, missing).toContain(join(copy, missing))
    }
  }, 120_000)

  it('fails when the main bundle itself is broken', () => {
    const copy = copyOfBuild()
    const entry = join(copy, 'main', 'index.js')
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('registerSchemesAsPrivileged', 'registerSchemesAsPrivileged(('))
    const { code, rec } = runMain(copy)
    expect(code).not.toBe(0)
    expect(rec).toBeNull()
  }, 60_000)
})
