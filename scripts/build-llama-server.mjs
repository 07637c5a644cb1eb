#!/usr/bin/env node
// Builds llama.cpp's `llama-server` (CPU only, only that target) from the llama.cpp source that
// node-llama-cpp ships (node_modules/node-llama-cpp/llama/gitRelease.bundle), for the `server`
// engine's integration tests and benchmark. The binary is cached outside the repository, keyed by
// the llama.cpp release and commit, so a machine builds it once:
//   ~/.cache/radlabel/llama-server/<tag>-<commit12>/bin/llama-server
// (RADLABEL_CACHE_DIR overrides ~/.cache/radlabel). The last line printed is the binary's absolute path.
// Options: --jobs N (default 2), --print-path (print the cached path, exit 1 if it is not built yet).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const llamaDir = join(root, 'node_modules', 'node-llama-cpp', 'llama')
const bundle = join(llamaDir, 'gitRelease.bundle')
const args = process.argv.slice(2)
const jobsIndex = args.indexOf('--jobs')
const jobs = jobsIndex >= 0 ? Number(args[jobsIndex + 1]) : 2
const printOnly = args.includes('--print-path')

function fail(message) {
  console.error(`[build:llama-server] ${message}`)
  process.exit(1)
}

if (!existsSync(bundle)) fail(`${bundle} is missing: run npm ci first (node-llama-cpp ships the llama.cpp source there).`)
const info = JSON.parse(readFileSync(join(llamaDir, 'llama.cpp.info.json'), 'utf8'))
const heads = execFileSync('git', ['bundle', 'list-heads', bundle], { encoding: 'utf8' })
const commit = heads.trim().split(/\s+/)[0]
if (!/^[0-9a-f]{40}$/.test(commit)) fail(`could not read the commit of ${bundle} (git bundle list-heads said: ${heads.trim()})`)
const key = `${String(info.tag).replace(/[^A-Za-z0-9._-]/g, '_')}-${commit.slice(0, 12)}`
const cacheRoot = process.env.RADLABEL_CACHE_DIR || join(homedir(), '.cache', 'radlabel')
const home = join(cacheRoot, 'llama-server', key)
const binary = join(home, 'bin', process.platform === 'win32' ? 'llama-server.exe' : 'llama-server')

if (existsSync(binary)) {
  console.log(`[build:llama-server] llama.cpp ${info.tag} (${commit.slice(0, 12)}) already built.`)
  console.log(binary)
  process.exit(0)
}
if (printOnly) fail(`not built yet (${binary}); run npm run build:llama-server`)

for (const tool of ['cmake', 'git']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) fail(`${tool} is not installed; it is needed to build llama-server.`)
}

// One build per machine at a time: a lock directory; a stale lock (older than 2 h) is taken over.
mkdirSync(join(cacheRoot, 'llama-server'), { recursive: true })
const lock = `${home}.lock`
const deadline = Date.now() + 60 * 60 * 1000
for (;;) {
  try {
    mkdirSync(lock)
    break
  } catch {
    if (existsSync(binary)) {
      console.log(binary)
      process.exit(0)
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > 2 * 60 * 60 * 1000) rmSync(lock, { recursive: true, force: true })
    } catch { /* the lock went away: retry */ }
    if (Date.now() > deadline) fail(`waited an hour for another build holding ${lock}; remove it if no build is running.`)
    if (!globalThis.__told) {
      console.log(`[build:llama-server] another build holds ${lock}; waiting for it …`)
      globalThis.__told = true
    }
    await new Promise((r) => setTimeout(r, 5000))
  }
}

const release = () => rmSync(lock, { recursive: true, force: true })
process.on('exit', release)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

const work = `${home}.build`
const run = (cmd, argv, cwd) => {
  console.log(`[build:llama-server] $ ${cmd} ${argv.join(' ')}`)
  const r = spawnSync(cmd, argv, { cwd, stdio: 'inherit' })
  if (r.status !== 0) fail(`${cmd} ${argv[0]} failed (exit ${r.status ?? r.signal}); the build directory is kept at ${work}`)
}
const started = Date.now()
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
run('git', ['clone', '--quiet', bundle, 'src'], work)
run('git', ['checkout', '--quiet', commit], join(work, 'src'))
run('cmake', [
  '-S', 'src', '-B', 'build',
  '-DCMAKE_BUILD_TYPE=Release',
  '-DBUILD_SHARED_LIBS=OFF',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DLLAMA_BUILD_TOOLS=ON',
  '-DLLAMA_BUILD_SERVER=ON',
  '-DLLAMA_CURL=OFF',
  '-DGGML_NATIVE=OFF',
  '-DGGML_CUDA=OFF', '-DGGML_METAL=OFF', '-DGGML_VULKAN=OFF',
], work)
run('cmake', ['--build', 'build', '--config', 'Release', '--target', 'llama-server', '-j', String(jobs)], work)

const candidates = [join(work, 'build', 'bin', 'llama-server'), join(work, 'build', 'bin', 'Release', 'llama-server.exe'), join(work, 'build', 'bin', 'llama-server.exe')]
const built = candidates.find((p) => existsSync(p))
if (!built) fail(`the build finished but no llama-server binary was found under ${join(work, 'build', 'bin')}`)
mkdirSync(join(home, 'bin'), { recursive: true })
const tmp = `${binary}.tmp`
execFileSync('cp', [built, tmp])
renameSync(tmp, binary)
writeFileSync(join(home, 'BUILD.json'), JSON.stringify({ tag: info.tag, commit, builtAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) }, null, 2))
rmSync(work, { recursive: true, force: true })
console.log(`[build:llama-server] built in ${Math.round((Date.now() - started) / 1000)} s`)
console.log(binary)
