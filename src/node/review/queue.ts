// A reviewer's queue in a set: as a reader, the reports still open to them (a report takes as many
// readers as the set asks for); as an adjudicator, the double-read reports whose readers disagree.
import type { DecisionRole, QueueItem, ReviewQueue } from '../../common/ipc/calls/review'
import type { Db } from '../store/db'
import { getReviewer } from '../store/repos/reviewers'
import { disagreements, loadReadings, readersOf } from './readings'
import { getSetRow } from './sets'

export function reviewQueue(db: Db, setId: number, reviewerId: number, role: DecisionRole): ReviewQueue {
  const set = getSetRow(db, setId)
  getReviewer(db, reviewerId)
  if (role === 'reader') {
    const rows = db
      .prepare(
        `SELECT ri.report_id AS reportId, ri.ord, n.completed_at AS completedAt, coalesce(n.flagged, 0) AS flagged,
           (SELECT count(DISTINCT d.reviewer_id) FROM review_decisions d
             WHERE d.set_id = ri.set_id AND d.report_id = ri.report_id AND d.role = 'reader' AND d.reviewer_id <> ?) AS others,
           EXISTS (SELECT 1 FROM review_decisions d WHERE d.set_id = ri.set_id AND d.report_id = ri.report_id AND d.reviewer_id = ?) AS mine
         FROM review_items ri LEFT JOIN review_notes n ON n.set_id = ri.set_id AND n.report_id = ri.report_id AND n.reviewer_id = ?
         WHERE ri.set_id = ? ORDER BY ri.ord`
      )
      .all(reviewerId, reviewerId, reviewerId, setId) as { reportId: number; ord: number; completedAt: string | null; flagged: number; others: number; mine: number }[]
    const items: QueueItem[] = rows
      .filter((r) => r.mine || r.completedAt || r.others < set.readers_per_report)
      .map((r) => ({ reportId: r.reportId, ord: r.ord, done: r.completedAt !== null, flagged: r.flagged === 1 }))
    return { setId, role, items, done: items.filter((i) => i.done).length }
  }
  const labelIds = db.prepare('SELECT id FROM labels WHERE label_set_id = ? ORDER BY ord').pluck().all(set.label_set_id) as number[]
  const readings = loadReadings(db, setId)
  const ords = db.prepare('SELECT report_id, ord FROM review_items WHERE set_id = ? ORDER BY ord').all(setId) as { report_id: number; ord: number }[]
  const flags = new Map(
    (db.prepare('SELECT report_id, flagged FROM review_notes WHERE set_id = ? AND reviewer_id = ?').all(setId, reviewerId) as { report_id: number; flagged: number }[]).map(
      (r) => [r.report_id, r.flagged === 1]
    )
  )
  const items: QueueItem[] = []
  for (const { report_id, ord } of ords) {
    const r = readings.get(report_id)
    if (!r || r.completed.length < 2 || readersOf(r).has(reviewerId)) continue
    const open = disagreements(r, labelIds)
    if (open.length === 0) continue
    items.push({ reportId: report_id, ord, done: open.every((l) => r.adjudicated.has(l)), flagged: flags.get(report_id) ?? false })
  }
  return { setId, role, items, done: items.filter((i) => i.done).length }
}
