// Reading a source's labels one page of reports at a time, with a pause between pages, so exports of
// large workspaces never hold the main process (and never keep a statement open across a pause).
import type { Evidence, LabelState } from '../../common/types'
import type { Db } from '../store/db'

export interface ReportLabelsPage {
  reportId: number
  reportKey: string
  text: string
  /** Label id -> state and evidence (only labels with a row). */
  labels: Map<number, { state: LabelState; evidence: Evidence[] | null }>
}

export const PAGE_REPORTS = 500

export async function* sourcePages(
  db: Db,
  sourceId: number,
  opts: { withText: boolean; withEvidence: boolean; pause: () => Promise<void> }
): AsyncGenerator<ReportLabelsPage[]> {
  const idsStmt = db
    .prepare('SELECT DISTINCT report_id FROM source_labels WHERE source_id = ? AND report_id > ? ORDER BY report_id LIMIT ?')
    .pluck()
  // A run also covers reports it completed without any label row (as in evaluation).
  const doneStmt = db
    .prepare(`SELECT report_id FROM run_reports WHERE source_id = ? AND status = 'done' AND report_id > ? ORDER BY report_id LIMIT ?`)
    .pluck()
  const nextIds = (after: number): number[] => {
    const a = idsStmt.all(sourceId, after, PAGE_REPORTS) as number[]
    const b = doneStmt.all(sourceId, after, PAGE_REPORTS) as number[]
    if (b.length === 0) return a
    return [...new Set([...a, ...b])].sort((x, y) => x - y).slice(0, PAGE_REPORTS)
  }
  const rowsStmt = db
    .prepare(
      `SELECT report_id, label_id, state${opts.withEvidence ? ', evidence_json' : ', NULL'} FROM source_labels
       WHERE source_id = ? AND report_id BETWEEN ? AND ? ORDER BY report_id`
    )
    .raw()
  const reportStmt = db.prepare(`SELECT report_key, ${opts.withText ? 'text' : "''"} FROM reports WHERE id = ?`).raw()
  let after = 0
  for (;;) {
    const ids = nextIds(after)
    if (ids.length === 0) return
    const byId = new Map<number, ReportLabelsPage>()
    const page = ids.map((id) => {
      const [reportKey, text] = reportStmt.get(id) as [string, string]
      const p: ReportLabelsPage = { reportId: id, reportKey, text, labels: new Map() }
      byId.set(id, p)
      return p
    })
    for (const [reportId, labelId, state, ev] of rowsStmt.all(sourceId, ids[0], ids[ids.length - 1]) as Array<
      [number, number, LabelState, string | null]
    >) {
      byId.get(reportId)?.labels.set(labelId, { state, evidence: ev ? (JSON.parse(ev) as Evidence[]) : null })
    }
    after = ids[ids.length - 1]
    yield page
    await opts.pause()
  }
}
