// Labels of one source as CSV: the CheXpert/MIMIC layout (1 / 0 / -1 / empty) or binary (1 / 0).
import { AppError } from '../../common/errors'
import type { LabelsCsvResult } from '../../common/ipc/calls/export'
import { STATE_TO_CSV, type LabelState } from '../../common/types'
import { toCsvLine } from '../import/csv'
import type { Db } from '../store/db'
import { findSource } from '../store/repos/sources'
import { yieldToEventLoop } from '../jobs/jobManager'
import { sourcePages } from './source-pages'
import { SafeFileWriter } from './write-file'

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
export async function exportLabelsCsv(db: Db, opts: LabelsCsvOptions, pause: () => Promise<void> = yieldToEventLoop): Promise<LabelsCsvResult> {
  if (!LABEL_CSV_FORMATS.includes(opts.format)) {
    throw new AppError('invalid_input', `Unknown labels format "${opts.format}".`, `Use one of ${LABEL_CSV_FORMATS.join(', ')}.`)
  }
  const src = findSource(db, opts.source)
  const labels = db
    .prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord')
    .all(src.labelSetId) as Array<{ id: number; name: string }>
  const columns = ['report_key', ...(opts.includeText ? ['Reports'] : []), ...labels.map((l) => l.name)]
  const w = new SafeFileWriter(opts.path, opts.overwrite ?? false)
  try {
    w.write(toCsvLine(columns, ',') + '\r\n')
    let rows = 0
    for await (const page of sourcePages(db, src.id, { withText: opts.includeText ?? false, withEvidence: false, pause })) {
      for (const r of page) {
        const fields = [r.reportKey, ...(opts.includeText ? [r.text] : []), ...labels.map((l) => cell(r.labels.get(l.id)?.state, opts))]
        w.write(toCsvLine(fields, ',') + '\r\n')
        rows++
      }
    }
    w.commit()
    return { rows, columns, source: src.name, path: w.path, bytes: w.bytes }
  } catch (err) {
    w.abort()
    throw err
  }
}
