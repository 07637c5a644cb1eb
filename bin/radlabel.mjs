#!/usr/bin/env node
// The `radlabel` command. Runs the CLI built ahead of time (out/cli/main.js, made by `npm run build` and
// after `npm install`) when it is at least as new as every source file it was built from; otherwise (a
// fresh checkout without a build, or sources edited since) runs the TypeScript directly through tsx, so
// `npx radlabel` works right after `npm install` either way. RADLABEL_CLI=source forces tsx;
// RADLABEL_CLI_TRACE=1 says on stderr which one runs.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = `${root}out/cli/main.js`

/** Newest modification time of the TypeScript sources the CLI bundle is built from (0 when absent). */
function newestSource() {
  let newest = 0
  for (const dir of ['src/node', 'src/common']) {
    let entries
    try {
      entries = readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true })
    } catch {
      continue
    }
    for (const e of entries) {
      if (!e.isFile() || !e.name.endsWith('.ts')) continue
      const t = statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs
      if (t > newest) newest = t
    }
  }
  return newest
}

function bundleIsFresh() {
  if (process.env.RADLABEL_CLI === 'source' || !existsSync(bundle)) return false
  return statSync(bundle).mtimeMs >= newestSource()
}

let main
const fresh = bundleIsFresh()
if (process.env.RADLABEL_CLI_TRACE) process.stderr.write(`radlabel: running ${fresh ? 'out/cli/main.js' : 'src/node/cli/main.ts through tsx'}\n`)
if (fresh) {
  ;({ main } = await import(bundle))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../src/node/cli/main.ts'))
}
process.exitCode = await main(process.argv.slice(2))
