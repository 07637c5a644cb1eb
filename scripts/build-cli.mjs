// Builds the `radlabel` CLI ahead of time into out/cli (one ESM bundle of src/node/cli plus the LLM host
// and import worker entries beside it), so the command starts without compiling TypeScript. Native and large
// packages stay external (resolved from node_modules at run time); small pure-JS ones are bundled. bin/radlabel.mjs uses the bundle when it is newer
// than every source file and falls back to tsx otherwise, so a fresh checkout works with or without it.
// Run by `npm run build` and by `prepare` (after npm install); never fails an install: without esbuild it
// says so and the CLI runs through tsx.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const finalDir = resolve(root, 'out/cli')
// Built beside and renamed into place, so a radlabel started meanwhile never loads a half-written bundle.
const outdir = resolve(root, `out/.cli-build-${process.pid}`)
let esbuild
try {
  esbuild = await import('esbuild')
} catch {
  console.warn('build-cli: esbuild is not installed; the radlabel CLI will run through tsx (slower start).')
  process.exit(0)
}
const t0 = Date.now()
rmSync(outdir, { recursive: true, force: true })
mkdirSync(outdir, { recursive: true })
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/node/cli/main.ts',
      'host-entry': 'src/node/engines/llm/host-entry.ts',
      importWorker: 'src/node/import/import-worker.ts'
    },
    outdir,
    outExtension: { '.js': '.js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // native and large packages stay in node_modules; small pure-JS ones (commander, zod ...) are bundled,
    // which saves resolving and lexing them at every start
    external: ['better-sqlite3', 'node-llama-cpp', '@node-llama-cpp/*', 'playwright-core', 'exceljs', 'electron', 'tsx', 'esbuild'],
    sourcemap: 'linked',
    // bundled CommonJS packages call require() for Node built-ins: give the ESM bundle a real one
    banner: { js: "import { createRequire as __radlabelCreateRequire } from 'node:module'; const require = __radlabelCreateRequire(import.meta.url);" },
    logLevel: 'warning'
  })
} catch (err) {
  rmSync(outdir, { recursive: true, force: true })
  console.warn(`build-cli: the CLI bundle could not be built (${err.message}); the radlabel CLI will run through tsx.`)
  process.exit(process.env.npm_lifecycle_event === 'prepare' ? 0 : 1)
}
writeFileSync(resolve(outdir, 'package.json'), JSON.stringify({ type: 'module' }) + '\n')
rmSync(finalDir, { recursive: true, force: true })
renameSync(outdir, finalDir)
console.log(`build-cli: out/cli built in ${Date.now() - t0} ms`)
