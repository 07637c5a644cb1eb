#!/usr/bin/env node
// Prints the plain closing line CI reads ("vitest: N passed, N failed, N skipped") from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test-results/vitest.json'
if (!existsSync(file)) {
  console.log(`vitest: no report at ${file} (the test run did not get that far)`)
  process.exit(0)
}
const r = JSON.parse(readFileSync(file, 'utf8'))
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
