#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx radlabel` works right after `npm install`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/node/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
