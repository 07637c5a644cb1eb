// Import batches: list with counts, issues (rejected records, conflicts), deletion in small transactions,
// mapping presets.
import { AppError } from '../../../common/errors'
import type { BatchInfo, ImportIssue, MappingPreset } from '../../../common/import/dto'
import type { FieldMapping, ImportFormat } from '../../../common/import/mapping'
import type { Db } from '../db'
import { nowIso } from '../db'

const BATCH_SELECT = `
  SELECT b.id, b.name, b.source_path AS sourcePath, b.format, b.encoding, b.status, b.job_id AS jobId,
         b.records_done AS recordsDone, b.bytes_done AS bytesDone, b.bytes_total AS bytesTotal, b.added, b.revised,
         b.duplicates, b.conflicts, b.rejected, b.error, b.created_at AS createdAt, b.finished_at AS finishedAt,
         b.mapping_json AS mappingJson,
         (SELECT count(*) FROM reports r WHERE r.batch_id = b.id) AS reportCount
  FROM import_batches b`

type BatchRow = Omit<BatchInfo, 'mapping'> & { mappingJson: string }

function toInfo(row: BatchRow): BatchInfo {
  const { mappingJson, ...rest } = row
  const stored = JSON.parse(mappingJson) as { mapping?: FieldMapping }
  return { ...rest, mapping: stored.mapping ?? {} }
}

export function listBatches(db: Db): BatchInfo[] {
  return (db.prepare(`${BATCH_SELECT} ORDER BY b.id DESC`).all() as BatchRow[]).map(toInfo)
}

export function getBatch(db: Db, id: number): BatchInfo {
  const row = db.prepare(`${BATCH_SELECT} WHERE b.id = ?`).get(id) as BatchRow | undefined
  if (!row) throw new AppError('not_found', `There is no import batch ${id}.`, 'List the batches to see their ids.')
  return toInfo(row)
}

export function listIssues(db: Db, batchId: number, opts: { offset?: number; limit?: number; kind?: ImportIssue['kind'] } = {}): { total: number; items: ImportIssue[] } {
  const where = opts.kind ? 'batch_id = ? AND kind = ?' : 'batch_id = ?'
  const args: unknown[] = opts.kind ? [batchId, opts.kind] : [batchId]
  const total = db.prepare(`SELECT count(*) FROM import_issues WHERE ${where}`).pluck().get(...args) as number
  const items = db
    .prepare(
      `SELECT id, kind, file, location, external_id AS externalId, reason, excerpt FROM import_issues
       WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`
    )
    .all(...args, opts.limit ?? 100, opts.offset ?? 0) as ImportIssue[]
  return { total, items }
}

/**
 * Deletes a batch: its reports (and, through the schema's cascades, their labels) and its issues.
 * Reports go in chunks with a yield between, so deleting a large batch never blocks the app.
 */
export async function deleteBatch(
  db: Db,
  batchId: number,
  opts: { yieldFn?: () => Promise<void>; chunk?: number } = {}
): Promise<{ reports: number }> {
  const batch = getBatch(db, batchId)
  if (batch.status === 'running') {
    throw new AppError('conflict', `Import batch ${batchId} is still running.`, 'Cancel the import first, then delete the batch.')
  }
  const chunk = opts.chunk ?? 2000
  const delChunk = db.prepare(
    'DELETE FROM reports WHERE id IN (SELECT id FROM reports WHERE batch_id = ? LIMIT ?)'
  )
  let reports = 0
  for (;;) {
    const n = db.transaction(() => delChunk.run(batchId, chunk).changes)()
    reports += n
    if (n < chunk) break
    await (opts.yieldFn ?? (() => new Promise<void>((r) => setImmediate(r))))()
  }
  db.transaction(() => {
    db.prepare('DELETE FROM import_issues WHERE batch_id = ?').run(batchId)
    db.prepare('DELETE FROM import_batches WHERE id = ?').run(batchId)
  })()
  return { reports }
}

export function savePreset(db: Db, p: { name: string; format: ImportFormat; mapping: FieldMapping }): MappingPreset {
  const name = p.name.trim()
  if (!name) throw new AppError('invalid_input', 'A preset needs a name.', 'Name it after the source, e.g. "RIS export".')
  const updatedAt = nowIso()
  db.prepare(
    `INSERT INTO import_presets (name, format, mapping_json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET format = excluded.format, mapping_json = excluded.mapping_json, updated_at = excluded.updated_at`
  ).run(name, p.format, JSON.stringify(p.mapping), updatedAt)
  return { name, format: p.format, mapping: p.mapping, updatedAt }
}

export function listPresets(db: Db): MappingPreset[] {
  const rows = db.prepare('SELECT name, format, mapping_json, updated_at FROM import_presets ORDER BY name').all() as Array<{
    name: string
    format: ImportFormat
    mapping_json: string
    updated_at: string
  }>
  return rows.map((r) => ({ name: r.name, format: r.format, mapping: JSON.parse(r.mapping_json) as FieldMapping, updatedAt: r.updated_at }))
}

export function deletePreset(db: Db, name: string): void {
  db.prepare('DELETE FROM import_presets WHERE name = ?').run(name)
}

/** The preset whose fields all exist in this file (most recently saved first), if any. */
export function matchingPreset(db: Db, fields: readonly string[]): MappingPreset | undefined {
  const has = new Set(fields)
  return listPresets(db)
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))
    .find((p) => {
      const m = p.mapping
      const used = [m.idField, m.textField, ...Object.values(m.sectionFields ?? {}), ...Object.values(m.meta ?? {})]
      return used.every((f) => !f || has.has(f)) && (m.textField || Object.values(m.sectionFields ?? {}).some(Boolean))
    })
}
