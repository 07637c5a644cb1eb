// Reference labels import: a label file (CheXpert/MIMIC layout 1 / 0 / -1 / blank, or binary 0/1 columns)
// becomes a named source (kind 'imported') whose labels go into source_labels, matched to the label set's
// labels by name (case, spaces, underscores and known synonyms ignored). Unknown columns and report ids
// are listed, never silently dropped.
import { AppError } from '../../common/errors'
import { findLabel } from '../../common/labelsets'
import type { LabelImportResult } from '../../common/import/dto'
import type { LabelState } from '../../common/types'
import type { Db } from '../store/db'
import { findLabelSet } from '../store/repos/labelSets'
import { createSource, writeSourceLabels, type SourceLabel } from '../store/repos/sources'
import { describeLocation } from './pipeline'
import { openSource } from './read'
import type { ReadOptions } from './types'

export interface LabelImportParams {
  path: string
  sourceName: string
  /** Label set id, slug or slug@version. */
  labelSet: string | number
  idColumn: string
  options?: Omit<ReadOptions, 'skip'>
  /** What 0 means: 'negative' (CheXpert convention, default) or 'not_mentioned' (one-hot files). */
  zeroAs?: 'negative' | 'not_mentioned'
  description?: string
}

const MAX_LISTED = 200

/** CheXpert/MIMIC cell value -> state; undefined for a value that is none of them. */
export function parseLabelValue(raw: string, zeroAs: 'negative' | 'not_mentioned' = 'negative'): LabelState | undefined {
  const v = raw.trim().toLowerCase()
  if (v === '' || v === 'nan' || v === 'na' || v === 'null') return 'not_mentioned'
  if (v === '1' || v === '1.0' || v === 'true' || v === 'positive') return 'positive'
  if (v === '0' || v === '0.0' || v === 'false' || v === 'negative') return zeroAs
  if (v === '-1' || v === '-1.0' || v === 'uncertain') return 'uncertain'
  return undefined
}

export async function importReferenceLabels(
  db: Db,
  p: LabelImportParams,
  run: { signal?: AbortSignal; yieldFn?: () => Promise<void>; onProgress?: (rows: number) => void } = {}
): Promise<LabelImportResult> {
  const set = findLabelSet(db, p.labelSet)
  const source = await openSource(p.path, p.options ?? {})
  const fields = source.info.fields
  if (!fields.includes(p.idColumn)) {
    throw new AppError(
      'invalid_input',
      `${p.path}: there is no column "${p.idColumn}" for the report id.`,
      `Columns: ${fields.join(', ')}.`
    )
  }
  const matched: Array<{ column: string; label: string; labelId: number }> = []
  const unknownColumns: string[] = []
  for (const column of fields) {
    if (column === p.idColumn) continue
    const label = findLabel(set.definition, column)
    const stored = label ? set.labels.find((l) => l.name === label) : undefined
    if (stored && !matched.some((m) => m.labelId === stored.id)) matched.push({ column, label: stored.name, labelId: stored.id })
    else unknownColumns.push(column)
  }
  if (matched.length === 0) {
    throw new AppError(
      'invalid_input',
      `${p.path}: no column matches a label of "${set.name}".`,
      `Columns: ${fields.join(', ')}. Labels: ${set.labels.map((l) => l.name).join(', ')}.`
    )
  }
  const sourceId = createSource(db, {
    name: p.sourceName,
    kind: 'imported',
    labelSetId: set.id,
    description: p.description ?? `Imported from ${p.path}`
  })

  const findReport = db.prepare('SELECT id FROM reports WHERE report_key = ? OR external_id = ? LIMIT 1').pluck()
  const unknownIds: string[] = []
  let unknownCount = 0
  const rejected: Array<{ location: string; reason: string }> = []
  let rejectedCount = 0
  let rows = 0
  let labelsWritten = 0
  const labelled = new Set<number>()
  const reject = (location: string, reason: string) => {
    rejectedCount++
    if (rejected.length < MAX_LISTED) rejected.push({ location, reason })
  }
  const write = db.transaction((labels: SourceLabel[]) => writeSourceLabels(db, sourceId, labels))
  let pending: SourceLabel[] = []
  const flush = async () => {
    if (pending.length) write(pending)
    labelsWritten += pending.length
    pending = []
    run.onProgress?.(rows)
    await (run.yieldFn ?? (() => new Promise<void>((r) => setImmediate(r))))()
  }

  try {
    for await (const batch of source.batches()) {
      for (const item of batch) {
        rows++
        const where = describeLocation(item.loc)
        if (item.kind === 'error') {
          reject(where, item.reason)
          continue
        }
        const id = (item.fields[p.idColumn] ?? '').trim()
        if (!id) {
          reject(where, `the id column "${p.idColumn}" is empty`)
          continue
        }
        const reportId = findReport.get(id, id) as number | undefined
        if (reportId === undefined) {
          unknownCount++
          if (unknownIds.length < MAX_LISTED) unknownIds.push(id)
          continue
        }
        const labels: SourceLabel[] = []
        let bad: string | undefined
        for (const m of matched) {
          const state = parseLabelValue(item.fields[m.column] ?? '', p.zeroAs)
          if (state === undefined) {
            bad = `column "${m.column}" has "${item.fields[m.column]}"; expected 1, 0, -1 or blank`
            break
          }
          labels.push({ reportId, labelId: m.labelId, state })
        }
        if (bad) {
          reject(where, bad)
          continue
        }
        labelled.add(reportId)
        pending.push(...labels)
      }
      if (pending.length >= 5000) await flush()
      if (run.signal?.aborted) break
    }
    await flush()
  } catch (err) {
    // A half-imported reference source would silently skew every evaluation: remove it.
    db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId)
    throw err
  }
  if (run.signal?.aborted) {
    db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId)
    throw new AppError('cancelled', 'The label import was cancelled; nothing was kept.')
  }
  return {
    sourceId,
    sourceName: p.sourceName,
    labelSetId: set.id,
    matched: matched.map(({ column, label }) => ({ column, label })),
    unknownColumns,
    missingLabels: set.labels.filter((l) => !matched.some((m) => m.labelId === l.id)).map((l) => l.name),
    rows,
    reportsLabelled: labelled.size,
    labelsWritten,
    unknownReportIds: { count: unknownCount, sample: unknownIds },
    rejected,
    rejectedCount
  }
}
