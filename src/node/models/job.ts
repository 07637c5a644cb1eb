// The model job: copy a GGUF file into the workspace (when asked) and compute its sha256, with progress,
// cancel and resume (a resumed copy starts over; a finished copy is not repeated).
import type { JobContext } from '../jobs/jobManager'
import { addModel, hashModel } from './registry'

export const MODEL_JOB_KIND = 'model'

export interface ModelJobParams {
  /** Hash (and nothing else) an already registered model. */
  modelId?: number
  /** Copy this file into the workspace, register it, then hash it. */
  copy?: { path: string; name?: string }
}

export async function runModelJob(params: ModelJobParams, ctx: JobContext): Promise<{ modelId: number; sha256: string }> {
  const { db, path: workspacePath } = ctx.workspace
  let modelId = params.modelId
  if (modelId === undefined && params.copy) {
    // A resumed job whose copy finished already finds its registered copy and goes on to hashing.
    const done = db.prepare("SELECT id FROM models WHERE copied = 1 AND json_extract(header_json, '$.fileName') = ? ORDER BY id DESC").pluck()
    const fileName = params.copy.path.split(/[\\/]/).pop()
    modelId = (ctx.resumed ? (done.get(fileName) as number | undefined) : undefined) ?? (
      await addModel(db, workspacePath, { path: params.copy.path, mode: 'copy', name: params.copy.name }, {
        signal: ctx.signal,
        onProgress: (p) => ctx.report({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', message: 'Copying into the workspace' })
      })
    ).id
  }
  if (modelId === undefined) throw new Error('The model job needs a model id or a file to copy.')
  const sha256 = await hashModel(db, modelId, {
    signal: ctx.signal,
    onProgress: (p) => ctx.report({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', message: 'Computing sha256' })
  })
  return { modelId, sha256 }
}
