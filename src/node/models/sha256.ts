// Streaming sha256 of (possibly multi-gigabyte) model files, with progress and cancel, cached per
// path + size + modification time so that a run does not re-hash an unchanged 8 GB model.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'

export interface HashProgress {
  bytesDone: number
  bytesTotal: number
}

const cache = new Map<string, string>()

const keyOf = (path: string, size: number, mtimeMs: number): string => `${path}\u0000${size}\u0000${mtimeMs}`

/** The cached hash of a file, if it has not changed since it was hashed. */
export async function cachedSha256(path: string): Promise<string | undefined> {
  const s = await stat(path)
  return cache.get(keyOf(path, s.size, s.mtimeMs))
}

/** Remember a hash computed elsewhere (e.g. stored in the workspace's model registry). */
export async function rememberSha256(path: string, sha256: string): Promise<void> {
  const s = await stat(path)
  cache.set(keyOf(path, s.size, s.mtimeMs), sha256)
}

export async function sha256File(
  path: string,
  options: { onProgress?: (p: HashProgress) => void; signal?: AbortSignal } = {}
): Promise<string> {
  const s = await stat(path)
  const key = keyOf(path, s.size, s.mtimeMs)
  const known = cache.get(key)
  if (known) return known
  const hash = createHash('sha256')
  let done = 0
  let lastReport = 0
  const stream = createReadStream(path, { highWaterMark: 4 << 20, signal: options.signal })
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk)
    done += chunk.length
    const now = Date.now()
    if (options.onProgress && now - lastReport > 250) {
      lastReport = now
      options.onProgress({ bytesDone: done, bytesTotal: s.size })
    }
  }
  options.onProgress?.({ bytesDone: s.size, bytesTotal: s.size })
  const digest = hash.digest('hex')
  cache.set(key, digest)
  return digest
}
