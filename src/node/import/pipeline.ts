// The import pipeline: a file's records -> mapped reports -> the store, in chunked transactions.
// Each chunk writes its reports, its issues and the batch's checkpoint (records_done) in ONE transaction,
// so a killed process leaves whole chunks only, and a resume skips exactly what was committed.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { AppError } from '../../common/errors'
import {
  suggestMapping,
  validateMapping,
  type FieldMapping,
  type ImportFormat
} from '../../common/import/mapping'
import type { FileResult, ImportCounts } from '../../common/import/dto'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { addendumCount, EXCERPT_CHARS, makePreparer, type Prepared } from './prepare'
import { defaultMappingFor, openSource } from './read'
import { ImportFileError, type ReadOptions, type TextEncoding } from './types'

/** Reader options that must be the same on resume (stored with the batch). */
export interface SourceOptions {
  format?: ImportFormat | 'auto'
  encoding?: TextEncoding
  delimiter?: string
  hasHeader?: boolean
  sheet?: string
  /** Per-report size cap in characters (default 1 MiB). */
  maxReportChars?: number
}

export interface ImportFileParams {
  path: string
  options?: SourceOptions
  /** Absent: the format's default, else a mapping suggested from the field names. */
  mapping?: FieldMapping
  /** Batch name shown in the list; default: the file name. */
  name?: string
  jobId?: number | null
}

export interface ImportProgress {
  records: number
  bytesDone: number
  bytesTotal: number
  counts: ImportCounts
}

export interface ImportRunOptions {
  signal?: AbortSignal
  onProgress?: (p: ImportProgress) => void
  /** Reports per transaction (fixed); default: adapted so a transaction takes about 30 ms. */
  chunkSize?: number
  /** Aim for transactions of about this many ms (default 30). */
  targetTxMs?: number
  /** Each transaction's duration (ms) and size, for benchmarks. */
  onTransaction?: (ms: number, rows: number) => void
  /** Called between chunks so timers and IPC run (the JobManager's yieldToEventLoop). */
  yieldFn?: () => Promise<void>
}

const MAX_CHUNK = 1000
const TARGET_TX_MS = 30
/** Commit early when a chunk holds this much text, whatever its record count (bounds memory). */
const CHUNK_CHARS = 8 * 1024 * 1024

export { describeLocation, sha256 } from './prepare'

interface BatchRow {
  id: number
  name: string
  source_path: string
  format: string
  encoding: string | null
  mapping_json: string
  status: string
  records_done: number
  bytes_done: number
  bytes_total: number | null
  added: number
  duplicates: number
  conflicts: number
  rejected: number
  revised?: number
}

/** What is stored in import_batches.mapping_json: the mapping and the reader options, for resume. */
interface StoredMapping {
  mapping: FieldMapping
  options: SourceOptions
}

function storedMapping(row: BatchRow): StoredMapping {
  const v = JSON.parse(row.mapping_json) as Partial<StoredMapping>
  return { mapping: v.mapping ?? {}, options: v.options ?? {} }
}

/** Prepared statements of one import, reused across chunks. */
function statements(db: Db) {
  return {
    insert: db.prepare(
      `INSERT INTO reports (report_key, external_id, batch_id, text, content_hash, sections_json, patient_id, study_id,
         accession, study_date, modality, meta_json, source_location, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_key) DO NOTHING`
    ),
    existing: db.prepare('SELECT id, content_hash, batch_id, version FROM reports WHERE report_key = ?'),
    priorText: db.prepare('SELECT text, sections_json, batch_id, source_location, created_at FROM reports WHERE id = ?'),
    knownVersion: db.prepare('SELECT 1 FROM report_versions WHERE report_id = ? AND content_hash = ?'),
    addVersion: db.prepare(
      `INSERT INTO report_versions (report_id, version, kind, text, content_hash, sections_json, batch_id, source_location, source_status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    ),
    latest: db.prepare('UPDATE reports SET text = ?, content_hash = ?, sections_json = ?, version = ? WHERE id = ?'),
    issue: db.prepare(
      `INSERT INTO import_issues (batch_id, kind, file, location, external_id, reason, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?)`
    ),
    checkpoint: db.prepare(
      `UPDATE import_batches SET records_done = records_done + ?, bytes_done = ?, added = added + ?,
         duplicates = duplicates + ?, conflicts = conflicts + ?, rejected = rejected + ?, revised = revised + ? WHERE id = ?`
    )
  }
}

/**
 * Find an unfinished batch (interrupted, cancelled or failed) of the same file with the same options: importing
 * the file again continues it instead of starting over.
 */
export function findResumableBatch(db: Db, path: string, options: SourceOptions, size: number | undefined): BatchRow | undefined {
  const rows = db
    .prepare(
      `SELECT * FROM import_batches WHERE source_path = ? AND status IN ('interrupted','cancelled','failed')
       ORDER BY id DESC`
    )
    .all(path) as BatchRow[]
  return rows.find((r) => (size === undefined || r.bytes_total === size) && JSON.stringify(storedMapping(r).options) === JSON.stringify(options))
}

/**
 * Import one file (or folder) into a new batch, or continue `resumeBatchId`. Never throws for a refused
 * file: the result says why (status 'refused').
 */
export async function importFile(
  db: Db,
  params: ImportFileParams & { resumeBatchId?: number },
  run: ImportRunOptions = {}
): Promise<FileResult> {
  const path = resolve(params.path)
  const zero: ImportCounts = { added: 0, duplicates: 0, conflicts: 0, rejected: 0, records: 0 }
  let options: SourceOptions = params.options ?? {}
  let resumeRow: BatchRow | undefined
  if (params.resumeBatchId !== undefined) {
    resumeRow = db.prepare('SELECT * FROM import_batches WHERE id = ?').get(params.resumeBatchId) as BatchRow | undefined
    if (!resumeRow) throw new AppError('not_found', `There is no import batch ${params.resumeBatchId}.`)
    if (resumeRow.status === 'completed') {
      return { ...zero, path, batchId: resumeRow.id, format: resumeRow.format as ImportFormat, status: 'completed', notes: ['already completed'] }
    }
    options = storedMapping(resumeRow).options
  }

  let source
  try {
    source = await openSource(path, { ...options, skip: resumeRow?.records_done ?? 0 } satisfies ReadOptions)
  } catch (err) {
    const e = AppError.from(err)
    const error = e.hint ? `${e.message} ${e.hint}` : e.message
    if (resumeRow) failBatch(db, resumeRow.id, error)
    return { ...zero, path, batchId: resumeRow?.id ?? null, format: null, status: 'refused', error, notes: [] }
  }
  const info = source.info

  // The mapping: stored (resume), given, the format's default, or suggested from the fields.
  let mapping: FieldMapping
  if (resumeRow) mapping = storedMapping(resumeRow).mapping
  else if (params.mapping) mapping = params.mapping
  else {
    const preset = defaultMappingFor(info.format)
    mapping = preset ?? suggestMapping(info.fields)
  }
  const problems = validateMapping(mapping, info.fields)
  if (problems.length > 0) {
    const error = `${path}: the field mapping does not fit this file. ${problems.join(' ')}`
    return { ...zero, path, batchId: resumeRow?.id ?? null, format: info.format, status: 'refused', error, notes: info.notes }
  }

  if (resumeRow && resumeRow.bytes_total !== null && resumeRow.bytes_total !== info.totalBytes) {
    const error = `${path} changed since batch ${resumeRow.id} started (size ${resumeRow.bytes_total} -> ${info.totalBytes} bytes); it cannot be resumed.`
    return { ...zero, path, batchId: resumeRow.id, format: info.format, status: 'refused', error: `${error} Delete the batch and import the file again.`, notes: info.notes }
  }

  let batchId: number
  if (resumeRow) {
    batchId = resumeRow.id
    // Claimed atomically: of two processes continuing the same batch at once, only one gets it.
    const claimed = db
      .prepare(`UPDATE import_batches SET status = 'running', job_id = coalesce(?, job_id), error = NULL WHERE id = ? AND status != 'running'`)
      .run(params.jobId ?? null, batchId).changes
    if (claimed !== 1) {
      const error = `Import batch ${batchId} of ${path} is being continued by another RadLabel process.`
      return { ...zero, path, batchId, format: info.format, status: 'refused', error, notes: info.notes }
    }
  } else {
    const stored: StoredMapping = { mapping, options }
    batchId = Number(
      db
        .prepare(
          `INSERT INTO import_batches (name, source_path, format, encoding, mapping_json, status, job_id, bytes_total, created_at)
           VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)`
        )
        .run(
          params.name ?? path.split(/[\\/]/).pop() ?? path,
          path,
          info.format,
          info.encoding ?? null,
          JSON.stringify(stored),
          params.jobId ?? null,
          info.totalBytes,
          nowIso()
        ).lastInsertRowid
    )
  }

  const st = statements(db)
  // A larger page cache while importing keeps the key and hash indexes in memory (bounded: 32 MB).
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number
  if (cacheBefore > -32768 && cacheBefore < 32768 / 4) db.pragma('cache_size = -32768')
  const totals: ImportCounts = { ...zero }
  const base = resumeRow
    ? {
        added: resumeRow.added,
        duplicates: resumeRow.duplicates,
        conflicts: resumeRow.conflicts,
        rejected: resumeRow.rejected,
        records: resumeRow.records_done,
        revised: resumeRow.revised ?? 0
      }
    : { ...zero }
  const now = nowIso()

  // Mapping, hashing and JSON happen as records arrive (between reads); the transaction only writes.
  const prepare = makePreparer(mapping, batchId, now, options.maxReportChars, info.format)
  const writeChunk = db.transaction((rows: Prepared[], bytesDone: number) => {
    const c = { added: 0, duplicates: 0, conflicts: 0, rejected: 0, revised: 0 }
    for (const row of rows) {
      if (row.kind === 'issue') {
        st.issue.run(batchId, 'rejected', row.file, row.where, row.externalId, row.reason, row.excerpt)
        c.rejected++
        continue
      }
      if (st.insert.run(...row.values).changes === 1) {
        c.added++
        continue
      }
      const prior = st.existing.get(row.key) as { id: number; content_hash: string; batch_id: number | null; version: number }
      if (prior.content_hash === row.hash || (prior.version > 1 && st.knownVersion.get(prior.id, row.hash))) {
        c.duplicates++
        continue
      }
      const kind = revisionKind(row, prior.id)
      if (kind) {
        addVersion(prior, row, kind)
        c.revised++
        continue
      }
      c.conflicts++
      st.issue.run(
        batchId,
        'conflict',
        row.file,
        row.where,
        row.externalId,
        `report id "${row.externalId}" already exists with different text (report ${prior.id}` +
          `${prior.batch_id ? `, batch ${prior.batch_id}` : ''}); the existing text was kept`,
        row.text.slice(0, EXCERPT_CHARS)
      )
    }
    st.checkpoint.run(rows.length, bytesDone, c.added, c.duplicates, c.conflicts, c.rejected, c.revised, batchId)
    return c
  })

  /** A corrected/amended record, or the stored text with an ADDENDUM block added: a new version. */
  const revisionKind = (row: Extract<Prepared, { kind: 'report' }>, reportId: number): 'correction' | 'amended' | 'addendum' | undefined => {
    if (row.revision) return row.revision
    const newAddenda = addendumCount(row.text)
    if (newAddenda === 0) return undefined
    const old = (st.priorText.get(reportId) as { text: string }).text
    return newAddenda > addendumCount(old) ? 'addendum' : undefined
  }

  /** Keep the stored text as version 1 (once), add the new one, and make it the report's current text. */
  const addVersion = (
    prior: { id: number; version: number; content_hash: string },
    row: Extract<Prepared, { kind: 'report' }>,
    kind: 'correction' | 'amended' | 'addendum'
  ) => {
    if (prior.version === 1) {
      const o = st.priorText.get(prior.id) as { text: string; sections_json: string; batch_id: number | null; source_location: string | null; created_at: string }
      st.addVersion.run(prior.id, 1, 'original', o.text, prior.content_hash, o.sections_json, o.batch_id, o.source_location, null, o.created_at)
    }
    const version = prior.version + 1
    st.addVersion.run(prior.id, version, kind, row.text, row.hash, row.sectionsJson, batchId, row.location, row.sourceStatus, now)
    st.latest.run(row.text, row.hash, row.sectionsJson, version, prior.id)
  }
  // Chunk size adapts so one transaction takes about TARGET_TX_MS: the event loop is never held long.
  let chunkSize = run.chunkSize ?? 200
  let rowsPerMs = 0
  let pending: Prepared[] = []
  let pendingChars = 0
  let cancelled = false
  let bytesRead = 0
  const flush = async () => {
    if (pending.length === 0) return
    const t0 = performance.now()
    const c = writeChunk(pending, bytesRead)
    const ms = performance.now() - t0
    run.onTransaction?.(ms, pending.length)
    if (!run.chunkSize && pending.length >= 20) {
      // Smoothed rows-per-ms; grow at most 1.5x per step so one fast chunk cannot cause a long one.
      const rate = pending.length / Math.max(ms, 0.5)
      rowsPerMs = rowsPerMs === 0 ? rate : rowsPerMs * 0.7 + rate * 0.3
      chunkSize = Math.max(50, Math.min(MAX_CHUNK, Math.round(chunkSize * 1.5), Math.round(rowsPerMs * (run.targetTxMs ?? TARGET_TX_MS))))
    }
    totals.added += c.added
    totals.duplicates += c.duplicates
    totals.conflicts += c.conflicts
    totals.rejected += c.rejected
    totals.revised = (totals.revised ?? 0) + c.revised
    totals.records += pending.length
    pending = []
    pendingChars = 0
    run.onProgress?.({
      records: base.records + totals.records,
      bytesDone: bytesRead,
      bytesTotal: info.totalBytes,
      counts: sumCounts(base, totals)
    })
    await (run.yieldFn ?? defaultYield)()
  }

  const notes = [...info.notes]
  const stream = async function* (): AsyncGenerator<{ rows: Prepared[]; bytesRead: number }> {
    for await (const batch of source.batches()) yield { rows: batch.map(prepare), bytesRead: source.bytesRead() }
  }

  try {
    outer: for await (const batch of stream()) {
      bytesRead = batch.bytesRead
      for (const p of batch.rows) {
        pending.push(p)
        pendingChars += p.chars
        if (pending.length >= chunkSize || pendingChars >= CHUNK_CHARS) {
          await flush()
          if (run.signal?.aborted) {
            cancelled = true
            break outer
          }
        }
      }
      if (run.signal?.aborted) {
        await flush()
        cancelled = true
        break
      }
    }
    if (!cancelled) await flush()
  } catch (err) {
    const e = AppError.from(err)
    failBatch(db, batchId, e.message)
    throw err
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`)
  }
  const status = cancelled ? 'cancelled' : 'completed'
  db.prepare(`UPDATE import_batches SET status = ?, finished_at = ? WHERE id = ?`).run(status, nowIso(), batchId)
  return {
    ...totals,
    path,
    batchId,
    format: info.format,
    status,
    notes,
    resumedFrom: resumeRow ? resumeRow.records_done : undefined
  }
}

function sumCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return {
    added: a.added + b.added,
    duplicates: a.duplicates + b.duplicates,
    conflicts: a.conflicts + b.conflicts,
    rejected: a.rejected + b.rejected,
    records: a.records + b.records,
    revised: (a.revised ?? 0) + (b.revised ?? 0)
  }
}

function failBatch(db: Db, batchId: number, error: string): void {
  db.prepare(`UPDATE import_batches SET status = 'failed', error = ?, finished_at = ? WHERE id = ?`).run(error, nowIso(), batchId)
}

const defaultYield = () => new Promise<void>((r) => setImmediate(r))

export { ImportFileError }

/** Size of a file or folder entry, for matching a resumable batch. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path)
    return s.isDirectory() ? undefined : s.size
  } catch {
    return undefined
  }
}
