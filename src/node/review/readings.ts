// The readings of a report in a set: who read it (completed), their decisions, and the adjudicator's.
// The readers of record are the first reviewers to complete the report (one or two, per the set).
import type { LabelState } from '../../common/types'
import type { Db } from '../store/db'

export interface Decision {
  state: LabelState
  decidedAt: string
  reviewerId: number
}

export interface Reading {
  reportId: number
  /** Reviewers who completed the report as readers, first completed first. */
  completed: { reviewerId: number; name: string; completedAt: string }[]
  /** Reader decisions by reviewer, then label. */
  reader: Map<number, Map<number, Decision>>
  /** Adjudicator decisions by label (the latest when several adjudicators answered). */
  adjudicated: Map<number, Decision>
}

function emptyReading(reportId: number): Reading {
  return { reportId, completed: [], reader: new Map(), adjudicated: new Map() }
}

/** Readings of one report, or of every report of the set that has any decision or completion. */
export function loadReadings(db: Db, setId: number, reportId?: number): Map<number, Reading> {
  const out = new Map<number, Reading>()
  const get = (id: number): Reading => {
    let r = out.get(id)
    if (!r) out.set(id, (r = emptyReading(id)))
    return r
  }
  const only = reportId === undefined ? '' : 'AND report_id = ?'
  const args = reportId === undefined ? [setId] : [setId, reportId]
  const notes = db
    .prepare(
      `SELECT n.report_id AS reportId, n.reviewer_id AS reviewerId, r.name, n.completed_at AS completedAt
       FROM review_notes n JOIN reviewers r ON r.id = n.reviewer_id
       WHERE n.set_id = ? ${only.replace('report_id', 'n.report_id')} AND n.completed_at IS NOT NULL ORDER BY n.completed_at, n.reviewer_id`
    )
    .all(...args) as { reportId: number; reviewerId: number; name: string; completedAt: string }[]
  for (const n of notes) get(n.reportId).completed.push({ reviewerId: n.reviewerId, name: n.name, completedAt: n.completedAt })
  const decisions = db
    .prepare(
      `SELECT report_id AS reportId, label_id AS labelId, reviewer_id AS reviewerId, role, state, decided_at AS decidedAt
       FROM review_decisions WHERE set_id = ? ${only} ORDER BY decided_at`
    )
    .iterate(...args) as Iterable<{ reportId: number; labelId: number; reviewerId: number; role: string; state: LabelState; decidedAt: string }>
  for (const d of decisions) {
    const r = get(d.reportId)
    const decision = { state: d.state, decidedAt: d.decidedAt, reviewerId: d.reviewerId }
    if (d.role === 'adjudicator') r.adjudicated.set(d.labelId, decision)
    else {
      let m = r.reader.get(d.reviewerId)
      if (!m) r.reader.set(d.reviewerId, (m = new Map()))
      m.set(d.labelId, decision)
    }
  }
  return out
}

/** Reviewers who started reading (any reader decision or completion). */
export function readersOf(r: Reading): Set<number> {
  return new Set([...r.reader.keys(), ...r.completed.map((c) => c.reviewerId)])
}

export type Settled = { state: LabelState; rule: 'review:single' | 'review:agreed' | 'review:adjudicated' } | null

/**
 * The settled state of each label, or null for the report when it is not settled yet (too few completed
 * readings, or a disagreement still waiting for the adjudicator).
 */
export function settledLabels(r: Reading, readersPerReport: 1 | 2, labelIds: readonly number[]): Map<number, Settled> | null {
  if (r.completed.length < readersPerReport) return null
  const [a, b] = r.completed.slice(0, 2).map((c) => r.reader.get(c.reviewerId) ?? new Map<number, Decision>())
  const out = new Map<number, Settled>()
  for (const labelId of labelIds) {
    const adj = r.adjudicated.get(labelId)
    const sa = a.get(labelId)?.state ?? 'not_mentioned'
    if (readersPerReport === 1) {
      out.set(labelId, adj ? { state: adj.state, rule: 'review:adjudicated' } : { state: sa, rule: 'review:single' })
      continue
    }
    const sb = b.get(labelId)?.state ?? 'not_mentioned'
    if (sa === sb) out.set(labelId, { state: sa, rule: 'review:agreed' })
    else if (adj) out.set(labelId, { state: adj.state, rule: 'review:adjudicated' })
    else return null
  }
  return out
}

/** Labels on which the two readers of record differ (double reading only). */
export function disagreements(r: Reading, labelIds: readonly number[]): number[] {
  if (r.completed.length < 2) return []
  const [a, b] = r.completed.slice(0, 2).map((c) => r.reader.get(c.reviewerId) ?? new Map<number, Decision>())
  return labelIds.filter((l) => (a.get(l)?.state ?? 'not_mentioned') !== (b.get(l)?.state ?? 'not_mentioned'))
}
