#!/usr/bin/env node
// Runs before `npm start` / `npm run dev`: fails in one line, saying what to do, when Electron's binary
// is missing, instead of building for minutes and then failing with a stack trace.
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { electronBinaryProblem } from './lib/electron-native.mjs'

const require = createRequire(import.meta.url)
let electronDir
try {
  electronDir = dirname(require.resolve('electron/package.json'))
} catch {
  electronDir = join(resolve(import.meta.dirname, '..'), 'node_modules', 'electron')
}
const problem = electronBinaryProblem(electronDir)
if (problem) {
  console.error(`[radlabel] ${problem}`)
  process.exit(1)
}
