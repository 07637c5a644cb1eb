// The workspace's model registry: GGUF base models and LoRA adapters added from local disk, either
// referenced in place or copied next to the workspace. Header facts are read on add (bad files are
// refused); the sha256 is computed afterwards in the background. Nothing is ever downloaded.
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../common/errors'
import type { ModelEntry } from '../../common/ipc/calls/models'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { inspectGguf } from './inspect'
import { rememberSha256, sha256File, type HashProgress } from './sha256'

export type { ModelEntry }

interface ModelRow {
  id: number
  name: string
  kind: 'base' | 'lora'
  path: string
  copied: number
  size_bytes: number
  sha256: string | null
  header_json: string
  added_at: string
}

async function toEntry(row: ModelRow): Promise<ModelEntry> {
  const header = JSON.parse(row.header_json) as ModelEntry['header']
  let available = true
  let problem: string | undefined
  try {
    const s = await stat(row.path)
    if (s.size !== row.size_bytes) {
      available = false
      problem = `The file changed size since it was added (${row.size_bytes} → ${s.size} bytes); remove and add it again.`
    }
  } catch {
    available = false
    problem = `The file ${row.path} is missing; restore it or remove this entry.`
  }
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    path: row.path,
    copied: row.copied === 1,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    header,
    addedAt: row.added_at,
    available,
    ...(problem ? { problem } : {})
  }
}

export async function listModels(db: Db): Promise<ModelEntry[]> {
  const rows = db.prepare('SELECT * FROM models ORDER BY kind, name, id').all() as ModelRow[]
  const lineage = lineageById(db)
  return (await Promise.all(rows.map(toEntry))).map((m) => (lineage.has(m.id) ? { ...m, lineage: lineage.get(m.id) } : m))
}

/** Adapters' lineage (training runs they came from), by model id. */
function lineageById(db: Db): Map<number, NonNullable<ModelEntry['lineage']>> {
  const rows = db.prepare('SELECT * FROM adapter_lineage').all() as Array<Record<string, unknown>>
  return new Map(
    rows.map((r) => [
      r.model_id as number,
      {
        baseModelId: (r.base_model_id as number | null) ?? null,
        baseSha256: String(r.base_sha256),
        adapterDir: String(r.adapter_dir),
        kitDir: (r.kit_dir as string | null) ?? null,
        kitChecksum: (r.kit_checksum as string | null) ?? null,
        dataset: JSON.parse(String(r.dataset_json)) as NonNullable<ModelEntry['lineage']>['dataset'],
        training: JSON.parse(String(r.training_json)) as Record<string, unknown>,
        finalTrainLoss: (r.final_train_loss as number | null) ?? null,
        finalValLoss: (r.final_val_loss as number | null) ?? null,
        conversion: JSON.parse(String(r.conversion_json)) as NonNullable<ModelEntry['lineage']>['conversion'],
        createdAt: String(r.created_at)
      }
    ])
  )
}

export async function getModel(db: Db, id: number): Promise<ModelEntry> {
  const row = db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined
  if (!row) throw new AppError('not_found', `There is no model ${id} in this workspace.`, 'List models to see their ids.')
  const entry = await toEntry(row)
  const lineage = lineageById(db).get(id)
  return lineage ? { ...entry, lineage } : entry
}

/** Finds a registered model by id, name or path (the CLI's --model may give any of them). */
export function findModelRow(db: Db, ref: string): ModelEntry['id'] | undefined {
  const byId = /^\d+$/.test(ref) ? (db.prepare('SELECT id FROM models WHERE id = ?').pluck().get(Number(ref)) as number | undefined) : undefined
  if (byId) return byId
  return db.prepare('SELECT id FROM models WHERE name = ? OR path = ? ORDER BY id LIMIT 1').pluck().get(ref, resolve(ref)) as
    | number
    | undefined
}

/** Folder next to the workspace file where copied models live. */
export function modelsDir(workspacePath: string): string {
  return join(dirname(workspacePath), `${basename(workspacePath).replace(/\.[^.]+$/, '')}.models`)
}

export interface AddModelInput {
  path: string
  /** 'reference' keeps the file where it is; 'copy' copies it next to the workspace. */
  mode: 'reference' | 'copy'
  name?: string
}

export interface CopyProgress {
  bytesDone: number
  bytesTotal: number
}

/** Inspects, optionally copies, and registers a GGUF file. The sha256 is left for `hashModel`. */
export async function addModel(
  db: Db,
  workspacePath: string,
  input: AddModelInput,
  options: { onProgress?: (p: CopyProgress) => void; signal?: AbortSignal } = {}
): Promise<ModelEntry> {
  const source = resolve(input.path)
  const header = await inspectGguf(source)
  const existing = db.prepare('SELECT id FROM models WHERE path = ?').pluck().get(source) as number | undefined
  if (existing && input.mode === 'reference') {
    throw new AppError('conflict', `${header.fileName} is already registered (model ${existing}).`)
  }
  let path = source
  if (input.mode === 'copy') {
    if (workspacePath === ':memory:') throw new AppError('invalid_input', 'An in-memory workspace cannot hold model copies.', 'Reference the file instead.')
    const dir = modelsDir(workspacePath)
    await mkdir(dir, { recursive: true })
    path = join(dir, header.fileName)
    if (path !== source) {
      const taken = db.prepare('SELECT id FROM models WHERE path = ?').pluck().get(path) as number | undefined
      if (taken) throw new AppError('conflict', `A copy named ${header.fileName} already exists in the workspace (model ${taken}).`, 'Rename the file or remove the other entry first.')
      await copyWithProgress(source, path, header.sizeBytes, options)
    }
  }
  const s = await stat(path)
  const name = input.name?.trim() || header.name || header.fileName.replace(/\.gguf$/i, '')
  const id = db
    .prepare(
      `INSERT INTO models (name, kind, path, copied, size_bytes, sha256, header_json, added_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`
    )
    .run(name, header.kind, path, input.mode === 'copy' ? 1 : 0, s.size, JSON.stringify({ ...header, path, mtimeMs: s.mtimeMs }), nowIso())
    .lastInsertRowid as number
  return getModel(db, Number(id))
}

async function copyWithProgress(
  from: string,
  to: string,
  total: number,
  options: { onProgress?: (p: CopyProgress) => void; signal?: AbortSignal }
): Promise<void> {
  let done = 0
  let last = 0
  const input = createReadStream(from, { highWaterMark: 4 << 20 })
  input.on('data', (chunk) => {
    done += chunk.length
    const now = Date.now()
    if (now - last > 250) {
      last = now
      options.onProgress?.({ bytesDone: done, bytesTotal: total })
    }
  })
  const partial = `${to}.partial`
  try {
    await pipeline(input, createWriteStream(partial), { signal: options.signal })
    const { rename } = await import('node:fs/promises')
    await rename(partial, to)
  } catch (err) {
    await rm(partial, { force: true })
    if (options.signal?.aborted) throw new AppError('cancelled', 'Copying the model was cancelled.')
    throw new AppError('io', `Copying ${from} into the workspace failed: ${(err as Error).message}`, 'Check free disk space, or reference the file instead of copying it.')
  }
  options.onProgress?.({ bytesDone: total, bytesTotal: total })
}

/** Computes and stores the sha256 of a registered model (streamed; progress; cancellable). */
export async function hashModel(
  db: Db,
  id: number,
  options: { onProgress?: (p: HashProgress) => void; signal?: AbortSignal } = {}
): Promise<string> {
  const model = await getModel(db, id)
  if (!model.available) throw new AppError('not_found', model.problem ?? `Model ${id} is not available.`)
  const sha = await sha256File(model.path, options)
  db.prepare('UPDATE models SET sha256 = ? WHERE id = ?').run(sha, id)
  return sha
}

/** Lets engines skip re-hashing unchanged files whose hash the registry already knows. */
export async function primeHashCache(db: Db): Promise<void> {
  const rows = db.prepare('SELECT path, size_bytes, sha256, header_json FROM models WHERE sha256 IS NOT NULL').all() as ModelRow[]
  for (const r of rows) {
    try {
      const s = await stat(r.path)
      const header = JSON.parse(r.header_json) as { mtimeMs?: number }
      if (s.size === r.size_bytes && header.mtimeMs === s.mtimeMs) await rememberSha256(r.path, r.sha256!)
    } catch {
      // Missing files are reported by listModels; nothing to cache.
    }
  }
}

/** Unregisters a model; a copy inside the workspace is deleted, a referenced file is left alone. */
export async function removeModel(db: Db, id: number): Promise<{ deletedFile: boolean }> {
  const model = await getModel(db, id)
  db.prepare('DELETE FROM models WHERE id = ?').run(id)
  if (model.copied) {
    await rm(model.path, { force: true })
    return { deletedFile: true }
  }
  return { deletedFile: false }
}
