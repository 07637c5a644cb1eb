// Launches the real Electron app where an Electron binary is installed. On the build machines the
// binary cannot be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1), so this suite skips itself and says why.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)

function electronBinary(): string | null {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'))
    const pathFile = join(pkgDir, 'path.txt')
    if (!existsSync(pathFile)) return null
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const sqliteForElectron = existsSync(resolve(import.meta.dirname, '../../native/electron/better_sqlite3.node'))
const reason = !binary
  ? 'the Electron binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)'
  : !sqliteForElectron
    ? 'better-sqlite3 has not been built for Electron (run node scripts/ensure-electron-sqlite.mjs)'
    : ''
if (reason) console.log(`[electron e2e] skipped: ${reason}.`)

describe.skipIf(Boolean(reason))('Electron app', () => {
  it('opens the main window sandboxed, with the shell and no console error', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({ executablePath: binary!, args: [resolve(import.meta.dirname, '../../out/main/index.js')] })
    try {
      const page = await app.firstWindow()
      const errors: string[] = []
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined')
      expect(await page.evaluate(() => typeof (window as unknown as { radlabel?: { calls: object } }).radlabel?.calls)).toBe('object')
      expect(errors).toEqual([])
    } finally {
      await app.close()
    }
  })
})
