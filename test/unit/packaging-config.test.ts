// The installer's Electron fuses: set as a hospital's security review expects, and accepted by
// electron-builder's own configuration schema (a misspelt fuse would otherwise be ignored or fail late).
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const config = require(resolve(import.meta.dirname, '../../electron-builder.config.cjs')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>
}

describe('packaging configuration', () => {
  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspector; encrypted cookies; only the integrity-checked asar; no file:// privileges', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false
    })
    expect(config.asar).toBe(true)
  })

  it("passes electron-builder's configuration schema, which refuses an unknown fuse", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, logger: unknown): Promise<void>
    }
    const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown }
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined()
    const misspelt = { ...structuredClone(config), electronFuses: { ...config.electronFuses, runAsNodes: false } }
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/)
  })
})
