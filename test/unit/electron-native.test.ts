// The checks behind `npm start` and the Electron-ABI build of better-sqlite3, run under plain Node.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  builtModuleAbi,
  electronAbi,
  electronBinaryProblem,
  electronBuildState,
  envForElectronBuild,
  headersAbi
} from '../../scripts/lib/electron-native.mjs'
import { tempDir } from '../support/workspace'

const require = createRequire(import.meta.url)
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((f) => f()))
function dir(): string {
  const d = tempDir('radlabel-native-')
  cleanups.push(d.cleanup)
  return d.dir
}

describe('electronBinaryProblem', () => {
  it('says in one line what to do when the binary was skipped', () => {
    const electron = dir()
    writeFileSync(join(electron, 'package.json'), '{"version":"41.7.1"}')
    const problem = electronBinaryProblem(electron, {})
    expect(problem).toMatch(/Electron's binary is not installed/)
    expect(problem).toContain('node node_modules/electron/install.js')
    expect(problem).not.toContain('\n')
  })

  it('is null when path.txt names a binary that exists', () => {
    const electron = dir()
    writeFileSync(join(electron, 'package.json'), '{"version":"41.7.1"}')
    writeFileSync(join(electron, 'path.txt'), 'electron')
    mkdirSync(join(electron, 'dist'))
    writeFileSync(join(electron, 'dist', 'electron'), '')
    expect(electronBinaryProblem(electron, {})).toBeNull()
  })

  it('asks for npm install when Electron is not there at all', () => {
    expect(electronBinaryProblem(join(dir(), 'nothing'), {})).toMatch(/npm install/)
  })
})

describe('ABI checks', () => {
  it('reads the ABI a built addon was compiled for without loading it', () => {
    expect(builtModuleAbi(nodeBuild)).toBe(Number(process.versions.modules))
    const notAddon = join(dir(), 'x.node')
    writeFileSync(notAddon, 'not a module')
    expect(builtModuleAbi(notAddon)).toBeNull()
  })

  it("reads Electron's ABI from its package, node-abi, or its headers", () => {
    const electron = dir()
    writeFileSync(join(electron, 'abi_version'), '145\n')
    expect(electronAbi(electron, '41.7.1')).toBe(145)
    const bare = dir()
    expect(electronAbi(bare, '41.7.1', () => '145')).toBe(145)
    expect(electronAbi(bare, '99.0.0', () => { throw new Error('unknown') })).toBeNull()
    const headers = dir()
    mkdirSync(join(headers, 'include', 'node'), { recursive: true })
    writeFileSync(join(headers, 'include', 'node', 'node_version.h'), '#define NODE_MAJOR_VERSION 24\n#define NODE_MODULE_VERSION 145\n')
    expect(headersAbi(headers)).toBe(145)
    expect(headersAbi(bare)).toBeNull()
  })

  it('rebuilds a build stamped as Electrons that is really for Node (the nodedir case)', () => {
    const out = dir()
    const target = join(out, 'better_sqlite3.node')
    copyFileSync(nodeBuild, target)
    const wanted = 'electron 41.7.1 better-sqlite3 12.11.1 linux-x64'
    const state = electronBuildState({ target, stampText: `${wanted}\n`, wanted, expectedAbi: 145 })
    expect(state.action).toBe('rebuild')
    expect(state.reason).toContain(`ABI ${process.versions.modules}, Electron needs 145`)
  })

  it('keeps a build whose stamp and ABI both match, and rebuilds on a new version or a missing file', () => {
    const out = dir()
    const target = join(out, 'better_sqlite3.node')
    const wanted = 'electron 41.7.1 better-sqlite3 12.11.1 linux-x64'
    expect(electronBuildState({ target, stampText: null, wanted, expectedAbi: 145 }).action).toBe('rebuild')
    copyFileSync(nodeBuild, target)
    const abi = Number(process.versions.modules)
    expect(electronBuildState({ target, stampText: wanted, wanted, expectedAbi: abi }).action).toBe('up-to-date')
    expect(electronBuildState({ target, stampText: 'electron 40.0.0 better-sqlite3 12.11.1 linux-x64', wanted, expectedAbi: abi }).action).toBe('rebuild')
  })

  it("removes npm's node-gyp settings (nodedir, target) from the build's environment", () => {
    const env = envForElectronBuild({ PATH: '/bin', npm_config_nodedir: '/usr/include/node', npm_config_target: '20.19.0', NPM_CONFIG_RUNTIME: 'node', npm_config_cache: '/c' })
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c' })
  })
})

describe('scripts/check-electron.mjs (runs before npm start)', () => {
  it('prints the same one line and fails when the binary is missing, and passes silently otherwise', async () => {
    const { spawnSync } = await import('node:child_process')
    const result = spawnSync(process.execPath, ['scripts/check-electron.mjs'], { encoding: 'utf8' })
    const problem = electronBinaryProblem(dirname(require.resolve('electron/package.json')))
    if (problem) {
      expect(result.status).toBe(1)
      expect(result.stderr.trim()).toBe(`[radlabel] ${problem}`)
    } else {
      expect(result.status).toBe(0)
      expect(result.stderr).toBe('')
    }
  })
})
