// The curated labels of a review set as CSV, in the layout of `radlabel label`: the id column first
// (the report's external id, else its key), then one column per label: 1 / 0 / -1 / empty.
import { AppError } from '../../common/errors'
import type { ReviewExportResult } from '../../common/ipc/calls/review'
import { STATE_TO_CSV, type LabelState } from '../../common/types'
import { writeFileSafely } from '../export/write-file'
import { toCsvLine } from '../import/csv'
import type { Db } from '../store/db'
import { getSetRow } from './sets'

export function exportCuratedCsv(db: Db, setRef: number | string, path: string, overwrite: boolean): ReviewExportResult {
  const set = getSetRow(db, setRef)
  if (!set.curated_source_id) {
    throw new AppError('not_found', `Review set "${set.name}" has no curated source (it was deleted).`, 'Create a new review set.')
  }
  const source = db.prepare('SELECT name FROM sources WHERE id = ?').pluck().get(set.curated_source_id) as string
  const labels = db.prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord').all(set.label_set_id) as { id: number; name: string }[]
  const col = new Map(labels.map((l, i) => [l.id, i]))
  const columns = ['id', ...labels.map((l) => l.name)]
  const written = writeFileSafely(path, overwrite, (w) => {
    // iterated only once the output file is open: an open iterator keeps the connection busy
    const rows = db
      .prepare(
        `SELECT ri.report_id AS reportId, coalesce(r.external_id, r.report_key) AS key, sl.label_id AS labelId, sl.state
         FROM review_items ri JOIN reports r ON r.id = ri.report_id
         JOIN source_labels sl ON sl.source_id = ? AND sl.report_id = ri.report_id
         WHERE ri.set_id = ? ORDER BY ri.ord`
      )
      .iterate(set.curated_source_id, set.id) as Iterable<{ reportId: number; key: string; labelId: number; state: LabelState }>
    w.write(toCsvLine(columns, ',') + '\n')
    let count = 0
    type Row = { reportId: number; key: string; cells: string[] }
    const flush = (r: Row | null): void => {
      if (!r) return
      w.write(toCsvLine([r.key, ...r.cells], ',') + '\n')
      count++
    }
    let current: Row | null = null
    for (const row of rows) {
      if (current === null || current.reportId !== row.reportId) {
        flush(current)
        current = { reportId: row.reportId, key: row.key, cells: labels.map(() => '') }
      }
      const i = col.get(row.labelId)
      if (i !== undefined) current.cells[i] = STATE_TO_CSV[row.state]
    }
    flush(current)
    return { rows: count }
  })
  return { path: written.path, rows: written.rows, columns, source }
}
