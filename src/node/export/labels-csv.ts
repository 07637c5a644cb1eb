// Labels of one source as CSV: the CheXpert/MIMIC layout (1 / 0 / -1 / empty) or binary (1 / 0).
import { AppError } from '../../common/errors'
import type { LabelsCsvResult } from '../../common/ipc/calls/export'
import { STATE_TO_CSV, type LabelState } from '../../common/types'
import { toCsvLine } from '../import/csv'
import type { Db } from '../store/db'
import { findSource } from '../store/repos/sources'
import { writeFileSafely } from './write-file'

export const LABEL_CSV_FORMATS = ['chexpert', 'binary'] as const
export type LabelCsvFormat = (typeof LABEL_CSV_FORMATS)[number]

export interface LabelsCsvOptions {
  source: string | number
  path: string
  format: LabelCsvFormat
  /** Binary only: what an uncertain label becomes (CheXpert's U-Ones / U-Zeros). */
  uncertainAs?: 'positive' | 'negative'
  /** Adds the report text as a "Reports" column (the CheXpert labeler's input layout). */
  includeText?: boolean
  overwrite?: boolean
}

function cell(state: LabelState | undefined, opts: LabelsCsvOptions): string {
  const s = state ?? 'not_mentioned'
  if (opts.format === 'chexpert') return STATE_TO_CSV[s]
  if (s === 'positive') return '1'
  if (s === 'uncertain') return (opts.uncertainAs ?? 'positive') === 'positive' ? '1' : '0'
  return '0'
}

/** One row per report the source covers, in report id order; a label without a row is not mentioned. */
export function exportLabelsCsv(db: Db, opts: LabelsCsvOptions): LabelsCsvResult {
  if (!LABEL_CSV_FORMATS.includes(opts.format)) {
    throw new AppError('invalid_input', `Unknown labels format "${opts.format}".`, `Use one of ${LABEL_CSV_FORMATS.join(', ')}.`)
  }
  const src = findSource(db, opts.source)
  const labels = db
    .prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord')
    .all(src.labelSetId) as Array<{ id: number; name: string }>
  const col = new Map(labels.map((l, i) => [l.id, i]))
  const columns = ['report_key', ...(opts.includeText ? ['Reports'] : []), ...labels.map((l) => l.name)]
  const rowsStmt = db
    .prepare(
      `SELECT sl.report_id, r.report_key, ${opts.includeText ? 'r.text' : "''"} AS text, sl.label_id, sl.state
       FROM source_labels sl JOIN reports r ON r.id = sl.report_id
       WHERE sl.source_id = ? ORDER BY sl.report_id`
    )
    .raw()
  return writeFileSafely(opts.path, opts.overwrite ?? false, (w) => {
    w.write(toCsvLine(columns, ',') + '\r\n')
    let rows = 0
    let current = -1
    let key = ''
    let text = ''
    let states: Array<LabelState | undefined> = []
    const flush = () => {
      if (current < 0) return
      const fields = [key, ...(opts.includeText ? [text] : []), ...labels.map((_, i) => cell(states[i], opts))]
      w.write(toCsvLine(fields, ',') + '\r\n')
      rows++
    }
    for (const [reportId, reportKey, t, labelId, state] of rowsStmt.iterate(src.id) as Iterable<
      [number, string, string, number, LabelState]
    >) {
      if (reportId !== current) {
        flush()
        current = reportId
        key = reportKey
        text = t
        states = new Array(labels.length)
      }
      const c = col.get(labelId)
      if (c !== undefined) states[c] = state
    }
    flush()
    return { rows, columns, source: src.name }
  })
}
