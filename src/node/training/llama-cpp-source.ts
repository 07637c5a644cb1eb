// The llama.cpp source that node-llama-cpp ships (node_modules/node-llama-cpp/llama/gitRelease.bundle),
// cloned once per machine into a cache outside the repository, keyed by release tag and commit:
//   ~/.cache/radlabel/llama.cpp/<tag>-<commit12>/   (RADLABEL_CACHE_DIR overrides ~/.cache/radlabel)
// Its convert_lora_to_gguf.py turns a PEFT adapter into a GGUF LoRA that matches the llama.cpp build
// node-llama-cpp runs. Clones are serialised by a lock directory (mkdir is atomic); a half-made clone is
// never visible because it is renamed into place when complete.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { AppError } from '../../common/errors'

const run = promisify(execFile)

export function radlabelCacheDir(): string {
  return process.env.RADLABEL_CACHE_DIR || join(homedir(), '.cache', 'radlabel')
}

export interface LlamaCppSource {
  dir: string
  tag: string
  commit: string
}

function nodeLlamaCppDir(): string {
  // node-llama-cpp exports no package.json: find its root from the resolved entry point.
  let dir = dirname(fileURLToPath(import.meta.resolve('node-llama-cpp')))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return join(dir, 'llama')
}

/** Where the clone of this node-llama-cpp's llama.cpp goes (without creating it). */
export async function llamaCppSourceKey(): Promise<{ bundle: string; tag: string; commit: string; dir: string }> {
  const llamaDir = nodeLlamaCppDir()
  const bundle = join(llamaDir, 'gitRelease.bundle')
  if (!existsSync(bundle)) {
    throw new AppError('not_found', `${bundle} is missing, so llama.cpp's conversion scripts cannot be found.`, 'Run npm ci (node-llama-cpp ships the llama.cpp source there).')
  }
  const info = JSON.parse(readFileSync(join(llamaDir, 'llama.cpp.info.json'), 'utf8')) as { tag: string }
  let heads: string
  try {
    heads = (await run('git', ['bundle', 'list-heads', bundle])).stdout
  } catch (err) {
    throw new AppError('unsupported', `git could not read ${bundle}: ${(err as Error).message}`, 'Install git (it is needed once, to unpack llama.cpp\'s conversion scripts).')
  }
  const commit = heads.trim().split(/\s+/)[0] ?? ''
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new AppError('internal', `Could not read the commit of ${bundle}.`)
  const tag = String(info.tag).replace(/[^A-Za-z0-9._-]/g, '_')
  return { bundle, tag, commit, dir: join(radlabelCacheDir(), 'llama.cpp', `${tag}-${commit.slice(0, 12)}`) }
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The cloned source (cloning it on first use). */
export async function ensureLlamaCppSource(onStatus: (s: string) => void = () => {}): Promise<LlamaCppSource> {
  const { bundle, tag, commit, dir } = await llamaCppSourceKey()
  const ready = (): boolean => existsSync(join(dir, 'convert_lora_to_gguf.py'))
  if (ready()) return { dir, tag, commit }
  await mkdir(dirname(dir), { recursive: true })
  const lock = `${dir}.lock`
  const deadline = Date.now() + 10 * 60_000
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch {
      if (ready()) return { dir, tag, commit }
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
      if (age > 15 * 60_000) await rm(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new AppError('conflict', `Waited 10 minutes for another clone holding ${lock}.`, 'Remove that folder if no RadLabel process is cloning llama.cpp.')
      onStatus(`Waiting for another process cloning llama.cpp (${lock})`)
      await delay(1000)
    }
  }
  try {
    if (ready()) return { dir, tag, commit }
    const partial = `${dir}.partial-${process.pid}`
    await rm(partial, { recursive: true, force: true })
    onStatus(`Cloning llama.cpp ${tag} (${commit.slice(0, 12)}) from node-llama-cpp's bundle into ${dir}`)
    await run('git', ['clone', '--quiet', bundle, partial], { maxBuffer: 1 << 24 })
    await run('git', ['-C', partial, 'checkout', '--quiet', commit])
    await rename(partial, dir)
    return { dir, tag, commit }
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}
