#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/, leaving node_modules' Node-ABI build
// (used by the CLI and `npm test`) untouched. Needs Electron's headers, so run it once on a machine
// with internet access; it is a no-op when a build for this Electron's ABI already exists.
//
// It builds against Electron's headers explicitly: npm settings such as `nodedir` (which make node-gyp
// use Node's headers whatever the target) are removed from the build's environment, and the built
// module's NODE_MODULE_VERSION is checked against Electron's before native/electron/VERSION is stamped.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { builtModuleAbi, electronAbi, electronBuildState, envForElectronBuild, headersAbi } from './lib/electron-native.mjs'

const require = createRequire(import.meta.url)
const root = resolve(import.meta.dirname, '..')
const outDir = join(root, 'native', 'electron')
const target = join(outDir, 'better_sqlite3.node')
const stamp = join(outDir, 'VERSION')

const electronDir = dirname(require.resolve('electron/package.json'))
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version
const wanted = `electron ${electronVersion} better-sqlite3 ${sqliteVersion} ${process.platform}-${process.arch}`
let nodeAbi
try {
  nodeAbi = require('node-abi').getAbi
} catch {
  nodeAbi = undefined
}
const devdir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'radlabel', 'electron-gyp')
let expectedAbi = electronAbi(electronDir, electronVersion, nodeAbi) ?? headersAbi(join(devdir, electronVersion))

const state = electronBuildState({
  target,
  stampText: existsSync(stamp) ? readFileSync(stamp, 'utf8') : null,
  wanted,
  expectedAbi
})
if (state.action === 'up-to-date') {
  console.log(`[radlabel] better-sqlite3 for Electron is up to date (${wanted}, ABI ${expectedAbi ?? '?'}).`)
  process.exit(0)
}

console.log(`[radlabel] building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${state.reason}) …`)
const work = join(outDir, 'build-src')
rmSync(work, { recursive: true, force: true })
rmSync(stamp, { force: true })
mkdirSync(work, { recursive: true })
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${join(sqliteDir, 'build')}`) })
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js')
try {
  execFileSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
      `--devdir=${devdir}`
    ],
    { cwd: work, stdio: 'inherit', env: envForElectronBuild(process.env) }
  )
} catch {
  console.error(
    '[radlabel] could not build better-sqlite3 for Electron. This step downloads Electron\'s headers once;\n' +
      'run it on a machine with internet access (see README, "Building an installer for an air-gapped site").'
  )
  process.exit(1)
}
expectedAbi ??= headersAbi(join(devdir, electronVersion))
const built = join(work, 'build', 'Release', 'better_sqlite3.node')
const builtAbi = builtModuleAbi(built)
if (expectedAbi === null || builtAbi !== expectedAbi) {
  console.error(
    `[radlabel] the build of better-sqlite3 is for ABI ${builtAbi ?? 'unknown'}, but Electron ${electronVersion} needs ` +
      `${expectedAbi ?? 'an ABI this script could not determine'}; not installing it. Check for a \`nodedir\` or \`target\` ` +
      'in your npm config (`npm config list`) and run `npm run rebuild:electron` again.'
  )
  rmSync(work, { recursive: true, force: true })
  process.exit(1)
}
cpSync(built, target)
writeFileSync(stamp, `${wanted}\n`)
rmSync(work, { recursive: true, force: true })
console.log(`[radlabel] wrote ${target} (ABI ${builtAbi})`)
