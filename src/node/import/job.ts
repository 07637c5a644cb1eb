// The import as a job: files in order, progress (records, bytes, ETA) and cancel through the JobManager.
// Resuming the job (after cancel, pause or a crash) continues each file's batch from its checkpoint.
import { resolve } from 'node:path'
import { AppError } from '../../common/errors'
import { formatBytes } from '../../common/format'
import type { FileResult, ImportCounts } from '../../common/import/dto'
import type { FieldMapping } from '../../common/import/mapping'
import { matchingPreset } from '../store/repos/batches'
import type { JobContext } from '../jobs/jobManager'
import { yieldToEventLoop } from '../jobs/jobManager'
import { fileSize, findResumableBatch, importFile, type ImportProgress, type SourceOptions } from './pipeline'
import { importFileInWorker, WorkerUnavailable } from './worker-host'
import { previewSource } from './read'
import type { Db } from '../store/db'

export const IMPORT_JOB_KIND = 'import'
/** Files from this size on are imported in a worker thread (RADLABEL_IMPORT_THREAD=1: always, =0: never). */
export const THREAD_MIN_BYTES = 4 * 1024 * 1024

export interface ImportJobFile {
  path: string
  options?: SourceOptions
  /** Complete mapping; or absent to use a saved preset that fits, the format's default, or a suggestion. */
  mapping?: FieldMapping
  /** Merged over the resolved mapping (CLI: --id-column alone keeps the suggested text field). */
  mappingOverrides?: FieldMapping
  name?: string
  /** Continue this unfinished batch (its stored mapping and options are used). */
  resumeBatchId?: number
}

export interface ImportJobParams {
  files: ImportJobFile[]
  /** Benchmarks: receive each transaction's duration. Not serialisable; never set through IPC. */
  onTransaction?: (ms: number, rows: number) => void
  /** Continue an unfinished batch of the same file and options instead of starting a new one (default true). */
  autoResume?: boolean
}

export interface ImportJobResult extends ImportCounts {
  files: FileResult[]
  refused: number
}

/** The mapping of a file the user did not map completely: a saved preset that fits, else the format's
 * default or a suggestion from the field names; then the user's overrides on top. */
export async function resolveMapping(db: Db, f: ImportJobFile): Promise<FieldMapping | undefined> {
  if (f.mapping) return f.mapping
  // A file that cannot be opened is refused by importFile with its reason.
  const pre = await previewSource(f.path, { ...(f.options ?? {}), limit: 20 }).catch(() => undefined)
  if (!pre) return undefined
  const base = matchingPreset(db, pre.info.fields)?.mapping ?? pre.suggested
  const o = f.mappingOverrides
  if (!o) return base
  const merged: FieldMapping = { ...base, meta: { ...(base.meta ?? {}), ...(o.meta ?? {}) } }
  if (o.sectionHeaders) merged.sectionHeaders = { ...(base.sectionHeaders ?? {}), ...o.sectionHeaders }
  if (o.idField) merged.idField = o.idField
  if (o.textField) {
    merged.textField = o.textField
    delete merged.sectionFields
  }
  if (o.sectionFields && Object.values(o.sectionFields).some(Boolean)) {
    merged.sectionFields = o.sectionFields
    delete merged.textField
  }
  return merged
}

export async function runImportJob(params: ImportJobParams, ctx: JobContext): Promise<ImportJobResult> {
  const db = ctx.workspace.db
  const results: FileResult[] = []
  let recordsBefore = 0
  let lastCounters: Record<string, number> = {}
  for (let i = 0; i < params.files.length; i++) {
    const f = params.files[i]
    if (ctx.signal.aborted) break
    const path = resolve(f.path)
    const options = f.options ?? {}
    // A resumed job continues its own batch of this file; a finished one is not imported again.
    const own = db
      .prepare('SELECT id, status FROM import_batches WHERE job_id = ? AND source_path = ? ORDER BY id DESC LIMIT 1')
      .get(ctx.jobId, path) as { id: number; status: string } | undefined
    let resumeBatchId: number | undefined
    if (own) resumeBatchId = own.id
    else if (f.resumeBatchId !== undefined) resumeBatchId = f.resumeBatchId
    else if (params.autoResume !== false) {
      // A folder has no size of its own: its batch is matched by path and options (importFile then
      // refuses the resume if the folder's files changed since).
      resumeBatchId = findResumableBatch(db, path, options, await fileSize(path))?.id
    }
    const mapping = resumeBatchId === undefined ? await resolveMapping(db, f) : undefined
    const label = params.files.length > 1 ? `file ${i + 1}/${params.files.length}: ` : ''
    const fileStart = Date.now()
    const fileParams = { path, options, mapping, name: f.name, jobId: ctx.jobId, resumeBatchId }
    const run = {
      signal: ctx.signal,
      onTransaction: params.onTransaction,
      onProgress: (p: ImportProgress) => {
        const elapsed = (Date.now() - fileStart) / 1000
        const rate = elapsed > 0 ? p.bytesDone / elapsed : 0
        ctx.report({
          done: recordsBefore + p.records,
          total: null,
          unit: 'records',
          etaSeconds: rate > 0 ? Math.max(0, (p.bytesTotal - p.bytesDone) / rate) : undefined,
          message: `${label}${path.split(/[\\/]/).pop()} · ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`,
          counters: (lastCounters = {
            ...p.counts,
            bytesDone: p.bytesDone,
            bytesTotal: p.bytesTotal,
            file: i + 1,
            files: params.files.length
          })
        })
      }
    }
    let result: FileResult | undefined
    let inProcessNote: string | undefined
    // A file workspace is imported in a worker thread with its own connection: the main event loop stays
    // free. Small files, in-memory workspaces (tests) and builds without the worker import in-process.
    const threadEnv = process.env.RADLABEL_IMPORT_THREAD
    const size = await fileSize(path)
    // Small files are quick either way (and skip the worker's start-up); folders can be large.
    const threaded = threadEnv === '1' || (threadEnv !== '0' && (size === undefined || size >= THREAD_MIN_BYTES))
    if (ctx.workspace.path !== ':memory:' && threaded) {
      // The worker's connection checkpoints the WAL it fills; the main connection must not inherit that
      // work on its next small write (a checkpoint there would block the event loop).
      const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number
      db.pragma('wal_autocheckpoint = 0')
      try {
        // Progress is written to the jobs table by the main connection, which waits while the worker holds
        // the write lock: report at most once a second to keep those waits rare.
        let lastReport = 0
        result = await importFileInWorker(
          { dbPath: ctx.workspace.path, nativeBinding: process.env.RADLABEL_SQLITE_BINDING, params: fileParams },
          {
            ...run,
            onProgress: (p) => {
              const now = Date.now()
              if (now - lastReport < 1000) return
              lastReport = now
              run.onProgress(p)
            }
          }
        )
      } catch (err) {
        if (!(err instanceof WorkerUnavailable)) throw err
        inProcessNote = `imported in the main thread (import worker unavailable: ${err.message})`
      } finally {
        db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`)
      }
    }
    result ??= await importFile(db, fileParams, { ...run, yieldFn: yieldToEventLoop })
    if (inProcessNote) result.notes.push(inProcessNote)
    recordsBefore += result.records
    results.push(result)
  }
  const sum = (k: keyof ImportCounts) => results.reduce((a, r) => a + (r[k] ?? 0), 0)
  const out: ImportJobResult = {
    added: sum('added'),
    duplicates: sum('duplicates'),
    conflicts: sum('conflicts'),
    rejected: sum('rejected'),
    records: sum('records'),
    revised: sum('revised'),
    refused: results.filter((r) => r.status === 'refused').length,
    files: results
  }
  if (!ctx.signal.aborted && results.length > 0 && out.refused === results.length) {
    // Nothing could be read: a failed job with the reasons, not a "completed 0/0" that looks like a result.
    const reasons = results.map((r) => r.error ?? `${r.path} was refused`)
    throw new AppError(
      'invalid_input',
      `${results.length === 1 ? 'The file was' : `All ${results.length} files were`} refused, nothing was imported: ${reasons.join(' ')}`,
      'Check the file format and the column mapping.'
    )
  }
  ctx.report({
    done: out.records,
    // Finished or stopped: the count is now known, so the bar shows it in full.
    total: ctx.signal.aborted ? null : out.records,
    etaSeconds: undefined,
    counters: { ...lastCounters, added: out.added, duplicates: out.duplicates, conflicts: out.conflicts, rejected: out.rejected, revised: out.revised ?? 0 }
  })
  return out
}

