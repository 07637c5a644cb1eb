// The installers' static files: electron-builder's config points at an app icon that exists and is
// large enough for every platform's format (it derives .ico and .icns from one 512x512 PNG).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const root = join(import.meta.dirname, '..', '..')

describe('resources/ and the electron-builder config', () => {
  it('names an existing 512x512 RGBA PNG icon for every installer', () => {
    const config = require(join(root, 'electron-builder.config.cjs')) as { icon: string; linux: { icon: string }; directories: { buildResources: string } }
    expect(config.directories.buildResources).toBe('resources')
    for (const icon of [config.icon, config.linux.icon]) {
      const file = join(root, icon)
      expect(existsSync(file)).toBe(true)
      const png = readFileSync(file)
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512])
      expect(png[25]).toBe(6) // colour type 6: RGBA, so the rounded corners stay transparent
    }
    expect(existsSync(join(root, 'resources', 'icon.svg'))).toBe(true)
  })
})
