// better-sqlite3 is compiled twice from one checkout: for Node (tests, CLI) in node_modules, and for
// Electron's ABI into native/electron/ (scripts/ensure-electron-sqlite.mjs), which the app loads here.
import { app } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export function electronSqliteBinding(): string {
  const candidates = app.isPackaged
    ? [join(process.resourcesPath, 'native', 'better_sqlite3.node')]
    : [join(app.getAppPath(), 'native', 'electron', 'better_sqlite3.node')]
  const found = candidates.find((p) => existsSync(p))
  if (!found) {
    throw new Error(
      `The SQLite module built for Electron is missing (looked for ${candidates.join(', ')}). ` +
        'Run "node scripts/ensure-electron-sqlite.mjs" on a machine with internet access, then start again.'
    )
  }
  return found
}
