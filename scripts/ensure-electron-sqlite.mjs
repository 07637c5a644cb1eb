#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/, leaving node_modules' Node-ABI build
// (used by the CLI and `npm test`) untouched. Needs Electron's headers, so run it once on a machine
// with internet access; it is a no-op when the build for this Electron version already exists.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
const root = resolve(import.meta.dirname, '..')
const outDir = join(root, 'native', 'electron')
const target = join(outDir, 'better_sqlite3.node')
const stamp = join(outDir, 'VERSION')

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version
const wanted = `electron ${electronVersion} better-sqlite3 ${sqliteVersion} ${process.platform}-${process.arch}`

if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) {
  console.log(`[radlabel] better-sqlite3 for Electron is up to date (${wanted}).`)
  process.exit(0)
}

console.log(`[radlabel] building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} …`)
const work = join(outDir, 'build-src')
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${join(sqliteDir, 'build')}`) })
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js')
try {
  execFileSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: work, stdio: 'inherit' }
  )
} catch {
  console.error(
    '[radlabel] could not build better-sqlite3 for Electron. This step downloads Electron\'s headers once;\n' +
      'run it on a machine with internet access (see README, "Building an installer for an air-gapped site").'
  )
  process.exit(1)
}
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target)
writeFileSync(stamp, `${wanted}\n`)
rmSync(work, { recursive: true, force: true })
console.log(`[radlabel] wrote ${target}`)
