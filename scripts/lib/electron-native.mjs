// Pure helpers for scripts/ensure-electron-sqlite.mjs and scripts/check-electron.mjs, kept apart so
// that tests can run them under plain Node (no Electron binary, no network).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Why Electron cannot start from this checkout, as one line saying what to do, or null when its binary
 * is installed. `electronDir` is node_modules/electron.
 */
export function electronBinaryProblem(electronDir, env = process.env) {
  if (!existsSync(join(electronDir, 'package.json'))) {
    return 'Electron is not installed: run `npm install` first.'
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return existsSync(env.ELECTRON_OVERRIDE_DIST_PATH)
      ? null
      : `ELECTRON_OVERRIDE_DIST_PATH points at ${env.ELECTRON_OVERRIDE_DIST_PATH}, which does not exist: fix or unset it.`
  }
  const pathFile = join(electronDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  if (relative && existsSync(join(electronDir, 'dist', relative))) return null
  return (
    "Electron's binary is not installed (it was skipped, e.g. ELECTRON_SKIP_BINARY_DOWNLOAD=1): " +
    'run `node node_modules/electron/install.js` on a machine with internet access, then `npm start` again. ' +
    'Without it, the CLI (`npx radlabel`) and the browser UI (`npm run harness`) still work.'
  )
}

/** NODE_MODULE_VERSION of the Electron in `electronDir`, from its abi_version file or node-abi; null if unknown. */
export function electronAbi(electronDir, version, nodeAbiLookup) {
  const file = join(electronDir, 'abi_version')
  if (existsSync(file)) {
    const abi = Number.parseInt(readFileSync(file, 'utf8').trim(), 10)
    if (Number.isInteger(abi)) return abi
  }
  if (nodeAbiLookup) {
    try {
      const abi = Number.parseInt(String(nodeAbiLookup(version, 'electron')), 10)
      if (Number.isInteger(abi)) return abi
    } catch {
      // unknown to node-abi: fall through
    }
  }
  return null
}

/** NODE_MODULE_VERSION from Electron's (or Node's) headers: include/node/node_version.h under `headersDir`. */
export function headersAbi(headersDir) {
  const header = join(headersDir, 'include', 'node', 'node_version.h')
  if (!existsSync(header)) return null
  const match = /#define\s+NODE_MODULE_VERSION\s+(\d+)/.exec(readFileSync(header, 'utf8'))
  return match ? Number(match[1]) : null
}

/**
 * NODE_MODULE_VERSION a built addon was compiled for, read from its exported `node_register_module_v<N>`
 * symbol (what NODE_MODULE_INIT emits) without loading it; null if the file has no such symbol.
 */
export function builtModuleAbi(file) {
  if (!existsSync(file)) return null
  const text = readFileSync(file).toString('latin1')
  const found = new Set([...text.matchAll(/node_register_module_v(\d+)/g)].map((m) => Number(m[1])))
  return found.size === 1 ? [...found][0] : null
}

/**
 * npm passes its config (including `nodedir`, `target`, `runtime`, `dist_url`, `devdir`) to node-gyp as
 * npm_config_* variables, and node-gyp obeys them over its defaults; a `nodedir` makes it build against
 * that Node's headers whatever `--target` says. Returns a copy of `env` without any of them.
 */
export function envForElectronBuild(env) {
  const gypKeys = /^npm_config_(nodedir|target|runtime|disturl|dist_url|devdir|arch|target_arch|build_from_source|node_gyp|python)$/i
  return Object.fromEntries(Object.entries(env).filter(([key]) => !gypKeys.test(key)))
}

/**
 * What to do with native/electron: 'up-to-date' only when the stamp matches *and* the module on disk
 * was built for Electron's ABI; otherwise 'rebuild', with the reason.
 */
export function electronBuildState({ target, stampText, wanted, expectedAbi }) {
  if (!existsSync(target)) return { action: 'rebuild', reason: 'no Electron build yet' }
  if ((stampText ?? '').trim() !== wanted) return { action: 'rebuild', reason: 'built for another Electron or better-sqlite3 version' }
  const abi = builtModuleAbi(target)
  if (expectedAbi !== null && abi !== expectedAbi) {
    return { action: 'rebuild', reason: `the build is for ABI ${abi ?? 'unknown'}, Electron needs ${expectedAbi}` }
  }
  return { action: 'up-to-date', reason: wanted }
}
