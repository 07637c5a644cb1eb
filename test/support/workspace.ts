// Temporary workspaces for tests: a fresh database file in its own folder, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openWorkspace, type Workspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'

export function tempDir(prefix = 'radlabel-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** An opened and prepared workspace (built-in label sets stored) in a temporary folder. */
export function tempWorkspace(): Workspace & { dir: string; cleanup(): void } {
  const { dir, cleanup } = tempDir()
  const ws = openWorkspace(join(dir, 'workspace.db'))
  prepareWorkspace(ws)
  return Object.assign(ws, {
    dir,
    cleanup: () => {
      if (ws.db.open) ws.close()
      cleanup()
    }
  })
}
