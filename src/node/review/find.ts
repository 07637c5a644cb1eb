// Finding reports: server-side search and filters, one page at a time, so a list of 100,000 reports
// never travels to the renderer at once.
import type { FoundPage, FoundReport } from '../../common/ipc/calls/review'
import type { LabelState } from '../../common/types'
import type { Db } from '../store/db'

export interface FindQuery {
  offset: number
  limit: number
  search?: string
  setId?: number
  /** With labelId/state: the label state in this source; alone: reports the source labels. */
  sourceId?: number
  labelId?: number
  state?: LabelState
  /** Reports this reviewer decided on (in the set when setId is given). */
  reviewerId?: number
  /** Reports on which two readers disagree on some label. */
  disagreement?: boolean
}

const PREVIEW_CHARS = 160

export function findReports(db: Db, q: FindQuery): FoundPage {
  const joins: string[] = []
  const where: string[] = []
  const args: unknown[] = []
  const joinArgs: unknown[] = []
  if (q.setId) {
    joins.push('JOIN review_items ri ON ri.report_id = r.id AND ri.set_id = ?')
    joinArgs.push(q.setId)
  }
  if (q.search?.trim()) {
    const like = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    where.push(`(r.text LIKE ? ESCAPE '\\' OR r.report_key LIKE ? ESCAPE '\\')`)
    args.push(like, like)
  }
  const labelFilter = q.labelId !== undefined && q.state !== undefined
  // filters are IN (subquery) so SQLite reads the filtering table once, not once per report
  if (q.sourceId) {
    if (labelFilter && q.state === 'not_mentioned') {
      where.push(
        `r.id NOT IN (SELECT report_id FROM source_labels WHERE source_id = ? AND label_id = ? AND state <> 'not_mentioned')`
      )
      args.push(q.sourceId, q.labelId)
    } else if (labelFilter) {
      where.push('r.id IN (SELECT report_id FROM source_labels WHERE source_id = ? AND label_id = ? AND state = ?)')
      args.push(q.sourceId, q.labelId, q.state)
    } else {
      where.push('r.id IN (SELECT report_id FROM source_labels WHERE source_id = ?)')
      args.push(q.sourceId)
    }
  }
  if (q.reviewerId || (labelFilter && !q.sourceId)) {
    // the label state as decided in review (by this reviewer when given)
    const cond: string[] = []
    if (q.setId) {
      cond.push('d.set_id = ?')
      args.push(q.setId)
    }
    if (q.reviewerId) {
      cond.push('d.reviewer_id = ?')
      args.push(q.reviewerId)
    }
    if (labelFilter && !q.sourceId) {
      cond.push('d.label_id = ? AND d.state = ?')
      args.push(q.labelId, q.state)
    }
    where.push(`r.id IN (SELECT d.report_id FROM review_decisions d WHERE ${cond.join(' AND ')})`)
  }
  if (q.disagreement) {
    where.push(
      `r.id IN (SELECT a.report_id FROM review_decisions a JOIN review_decisions b ON b.set_id = a.set_id AND b.report_id = a.report_id
         AND b.label_id = a.label_id AND b.reviewer_id > a.reviewer_id AND b.role = 'reader' AND b.state <> a.state
       WHERE a.role = 'reader'${q.setId ? ' AND a.set_id = ?' : ''})`
    )
    if (q.setId) args.push(q.setId)
  }
  const from = `FROM reports r ${joins.join(' ')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`
  const total = db.prepare(`SELECT count(*) ${from}`).pluck().get(...joinArgs, ...args) as number
  const rows = db
    .prepare(
      `SELECT r.id, r.report_key AS reportKey, r.study_date AS studyDate, substr(r.text, 1, ${PREVIEW_CHARS}) AS preview
       ${from} ORDER BY ${q.setId ? 'ri.ord' : 'r.id'} LIMIT ? OFFSET ?`
    )
    .all(...joinArgs, ...args, q.limit, q.offset) as FoundReport[]
  return { total, offset: q.offset, items: rows.map((r) => ({ ...r, preview: r.preview.replace(/\s+/g, ' ').trim() })) }
}
