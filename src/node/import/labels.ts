// Reference labels import: a label file (CheXpert/MIMIC layout 1 / 0 / -1 / blank, or binary 0/1 columns)
// becomes a named source (kind 'imported') whose labels go into source_labels, matched to the label set's
// labels by name (case, spaces, underscores and known synonyms ignored). Unknown columns and report ids
// are listed, never silently dropped. The source is written in chunks and marked complete only at the end:
// a killed import leaves it marked incomplete, and importing the same file under the same name again
// rewrites that source instead of refusing the name. A report id given by two rows is never decided by
// row order: rows that repeat the same labels count once, rows that disagree are all rejected.
import { AppError } from '../../common/errors'
import { findLabel } from '../../common/labelsets'
import type { LabelImportResult } from '../../common/import/dto'
import type { LabelState } from '../../common/types'
import type { Db } from '../store/db'
import { findLabelSet } from '../store/repos/labelSets'
import { createSource, setSourceComplete, type SourceLabel } from '../store/repos/sources'
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
  const sourceId = targetSource(db, p, set.id)

  const lookup = reportLookup(db)
  const unknownIds: string[] = []
  let unknownCount = 0
  const rejected: Array<{ location: string; reason: string }> = []
  let rejectedCount = 0
  let rows = 0
  let labelsWritten = 0
  /** Each labelled report: where its row was and its label values, to catch a second row for it. */
  const seen = new Map<number, { where: string; values: string }>()
  /** Reports whose rows disagree: none of their labels are kept. */
  const contradicted = new Map<number, string>()
  const reject = (location: string, reason: string) => {
    rejectedCount++
    if (rejected.length < MAX_LISTED) rejected.push({ location, reason })
  }
  // The source holds no labels yet (new, or cleared) and repeated ids are settled above, so plain INSERTs
  // prepared once, one statement per report (all its labels: half the cost of one per label), in report
  // order, with a larger page cache while it runs.
  const insertReport = db.prepare(
    `INSERT INTO source_labels (source_id, report_id, label_id, state) VALUES ${matched.map(() => '(?, ?, ?, ?)').join(', ')}`
  )
  const write = db.transaction((reports: SourceLabel[][]) => {
    reports.sort((a, b) => a[0].reportId - b[0].reportId)
    const args: unknown[] = new Array(matched.length * 4)
    for (const labels of reports) {
      for (let k = 0; k < labels.length; k++) {
        args[4 * k] = sourceId
        args[4 * k + 1] = labels[k].reportId
        args[4 * k + 2] = labels[k].labelId
        args[4 * k + 3] = labels[k].state
      }
      insertReport.run(...args)
    }
  })
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number
  if (cacheBefore > -65536 && cacheBefore < 65536 / 4) db.pragma('cache_size = -65536')
  let pending: SourceLabel[][] = []
  const flush = async () => {
    if (pending.length) write(pending)
    labelsWritten += pending.length * matched.length
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
        const reportId = lookup(id)
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
        const values = labels.map((l) => l.state).join(',')
        const first = seen.get(reportId)
        if (first) {
          if (contradicted.has(reportId)) reject(where, `report "${id}" has rows with different labels (first at ${first.where}); none of them was kept`)
          else if (first.values === values) reject(where, `report "${id}" repeats ${first.where} with the same labels; counted once`)
          else {
            contradicted.set(reportId, id)
            reject(first.where, `report "${id}" has different labels at ${where}; neither row was kept`)
            reject(where, `report "${id}" has different labels at ${first.where}; neither row was kept`)
          }
          continue
        }
        seen.set(reportId, { where, values })
        pending.push(labels)
      }
      if (pending.length >= 5000) await flush()
      if (run.signal?.aborted) break
    }
    await flush()
    if (!run.signal?.aborted) {
      // drop the labels of contradicted reports and mark the source complete, in one transaction
      db.transaction(() => {
        const drop = db.prepare('DELETE FROM source_labels WHERE source_id = ? AND report_id = ?')
        for (const reportId of contradicted.keys()) labelsWritten -= drop.run(sourceId, reportId).changes
        setSourceComplete(db, sourceId, true)
      })()
    }
  } catch (err) {
    // A half-imported reference source would silently skew every evaluation: remove it.
    db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId)
    throw err
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`)
  }
  if (run.signal?.aborted) {
    db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId)
    throw new AppError('cancelled', 'The label import was cancelled; nothing was kept.')
  }
  const reportsLabelled = seen.size - contradicted.size
  return {
    sourceId,
    sourceName: p.sourceName,
    labelSetId: set.id,
    matched: matched.map(({ column, label }) => ({ column, label })),
    unknownColumns,
    missingLabels: set.labels.filter((l) => !matched.some((m) => m.labelId === l.id)).map((l) => l.name),
    rows,
    reportsLabelled,
    labelsWritten,
    unknownReportIds: { count: unknownCount, sample: unknownIds },
    rejected,
    rejectedCount
  }
}

/**
 * The source to write: a new one (marked incomplete until the import ends), or the incomplete imported
 * source of the same name that an interrupted import of this label set left (its labels are replaced).
 */
function targetSource(db: Db, p: LabelImportParams, labelSetId: number): number {
  const prior = db.prepare('SELECT id, kind, label_set_id, complete FROM sources WHERE name = ?').get(p.sourceName) as
    | { id: number; kind: string; label_set_id: number; complete: number }
    | undefined
  if (prior && prior.complete === 0 && prior.kind === 'imported' && prior.label_set_id === labelSetId) {
    db.transaction(() => {
      db.prepare('DELETE FROM source_labels WHERE source_id = ?').run(prior.id)
      db.prepare('UPDATE sources SET description = ? WHERE id = ?').run(p.description ?? `Imported from ${p.path}`, prior.id)
    })()
    return prior.id
  }
  return createSource(db, {
    name: p.sourceName,
    kind: 'imported',
    labelSetId,
    description: p.description ?? `Imported from ${p.path}`,
    complete: false
  })
}

/**
 * Report id -> stored report, by the indexed report key (an external id is its report's key); ids that
 * match no key are looked up among external ids, read once into a map on the first miss. Linear in rows.
 */
function reportLookup(db: Db): (id: string) => number | undefined {
  const byKey = db.prepare('SELECT id FROM reports WHERE report_key = ?').pluck()
  let byExternal: Map<string, number> | undefined
  return (id) => {
    const hit = byKey.get(id) as number | undefined
    if (hit !== undefined) return hit
    if (!byExternal) {
      byExternal = new Map()
      for (const row of db.prepare('SELECT external_id, id FROM reports WHERE external_id IS NOT NULL').raw().iterate() as Iterable<[string, number]>) {
        if (!byExternal.has(row[0])) byExternal.set(row[0], row[1])
      }
    }
    return byExternal.get(id)
  }
}
