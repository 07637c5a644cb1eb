// Saving review decisions: each one is written at once (its own transaction), stamped with reviewer
// and time, recorded in the audit log, and the set's curated source is brought up to date with it.
import { AppError } from '../../common/errors'
import type { DecideResult, DecisionRole, RecentDecision } from '../../common/ipc/calls/review'
import type { LabelState } from '../../common/types'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'
import { getReviewer } from '../store/repos/reviewers'
import { disagreements, loadReadings, readersOf, settledLabels } from './readings'
import { getSetRow } from './sets'

interface Target {
  setId: number
  reportId: number
  reviewerId: number
  role: DecisionRole
}

function labelIdsOf(db: Db, labelSetId: number): number[] {
  return db.prepare('SELECT id FROM labels WHERE label_set_id = ? ORDER BY ord').pluck().all(labelSetId) as number[]
}

/** Checks that the reviewer may decide on this report in this role; returns the set row and reviewer. */
function authorise(db: Db, t: Target) {
  const set = getSetRow(db, t.setId)
  const reviewer = getReviewer(db, t.reviewerId)
  if (!db.prepare('SELECT 1 FROM review_items WHERE set_id = ? AND report_id = ?').get(t.setId, t.reportId)) {
    throw new AppError('not_found', `Report ${t.reportId} is not in review set "${set.name}".`, 'Open the report from the set\'s list.')
  }
  const reading = loadReadings(db, t.setId, t.reportId).get(t.reportId)
  const readers = reading ? readersOf(reading) : new Set<number>()
  if (t.role === 'reader') {
    if (reviewer.role === 'adjudicator' && set.readers_per_report === 2) {
      throw new AppError(
        'forbidden',
        `${reviewer.name} is an adjudicator: in the double-read set "${set.name}" adjudicators settle the readers' disagreements and do not read.`,
        'Open the set with "Adjudicate", or switch to a reader profile.'
      )
    }
    const others = [...readers].filter((id) => id !== t.reviewerId)
    if (!readers.has(t.reviewerId) && others.length >= set.readers_per_report) {
      throw new AppError(
        'conflict',
        `Report ${t.reportId} already has ${others.length} reader(s), as many as set "${set.name}" asks for.`,
        'Go on to the next report of your queue.'
      )
    }
    if (reading?.adjudicated.size && [...reading.adjudicated.values()].some((d) => d.reviewerId === t.reviewerId)) {
      throw new AppError('forbidden', `${reviewer.name} adjudicated report ${t.reportId} and cannot also read it.`)
    }
  } else {
    if (set.readers_per_report !== 2) {
      throw new AppError('invalid_input', `Set "${set.name}" is read once per report; there is nothing to adjudicate.`)
    }
    if (readers.has(t.reviewerId)) {
      throw new AppError('forbidden', `${reviewer.name} read report ${t.reportId} and cannot adjudicate it.`, 'A third reviewer settles the disagreements.')
    }
    if (!reading || reading.completed.length < 2) {
      throw new AppError('invalid_input', `Report ${t.reportId} has not been read by two reviewers yet.`, 'Adjudicate it after both readings are complete.')
    }
  }
  return { set, reviewer }
}

/** Recomputes the curated labels of one report: written when settled, removed while not. */
export function refreshCurated(db: Db, setId: number, reportId: number): void {
  const set = getSetRow(db, setId)
  if (!set.curated_source_id) return
  const labelIds = labelIdsOf(db, set.label_set_id)
  const reading = loadReadings(db, setId, reportId).get(reportId)
  const settled = reading ? settledLabels(reading, set.readers_per_report, labelIds) : null
  db.prepare('DELETE FROM source_labels WHERE source_id = ? AND report_id = ?').run(set.curated_source_id, reportId)
  if (!settled) return
  const insert = db.prepare('INSERT INTO source_labels (source_id, report_id, label_id, state, rule) VALUES (?, ?, ?, ?, ?)')
  for (const [labelId, s] of settled) insert.run(set.curated_source_id, reportId, labelId, s!.state, s!.rule)
}

/** Saves (or, with state null, withdraws) one decision. */
export function decide(db: Db, t: Target & { labelId: number; state: LabelState | null }): DecideResult {
  return db.transaction(() => {
    const { set, reviewer } = authorise(db, t)
    const label = db.prepare('SELECT name FROM labels WHERE id = ? AND label_set_id = ?').get(t.labelId, set.label_set_id) as { name: string } | undefined
    if (!label) throw new AppError('invalid_input', `Label ${t.labelId} is not in the label set of review set "${set.name}".`)
    const previous =
      (db
        .prepare('SELECT state FROM review_decisions WHERE set_id = ? AND report_id = ? AND label_id = ? AND reviewer_id = ? AND role = ?')
        .pluck()
        .get(t.setId, t.reportId, t.labelId, t.reviewerId, t.role) as LabelState | undefined) ?? null
    const decidedAt = nowIso()
    if (t.state === null) {
      db.prepare('DELETE FROM review_decisions WHERE set_id = ? AND report_id = ? AND label_id = ? AND reviewer_id = ?').run(
        t.setId,
        t.reportId,
        t.labelId,
        t.reviewerId
      )
    } else {
      db.prepare(
        `INSERT INTO review_decisions (set_id, report_id, label_id, reviewer_id, role, state, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (set_id, report_id, label_id, reviewer_id) DO UPDATE SET state = excluded.state, role = excluded.role, decided_at = excluded.decided_at`
      ).run(t.setId, t.reportId, t.labelId, t.reviewerId, t.role, t.state, decidedAt)
    }
    audit(db, {
      actor: reviewer.name,
      action: t.state === null ? 'review.withdraw' : 'review.decide',
      entity: 'review_decision',
      entityId: `${t.setId}/${t.reportId}/${t.labelId}`,
      details: { setId: t.setId, reportId: t.reportId, label: label.name, role: t.role, reviewerId: t.reviewerId, previous, state: t.state }
    })
    refreshCurated(db, t.setId, t.reportId)
    return { previous, state: t.state, decidedAt }
  })()
}

function upsertNote(db: Db, t: Omit<Target, 'role'>, patch: { flagged?: boolean; comment?: string | null; completedAt?: string | null }): void {
  const now = nowIso()
  db.prepare(
    `INSERT INTO review_notes (set_id, report_id, reviewer_id, flagged, comment, completed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (set_id, report_id, reviewer_id) DO UPDATE SET
       flagged = CASE WHEN ? THEN excluded.flagged ELSE flagged END,
       comment = CASE WHEN ? THEN excluded.comment ELSE comment END,
       completed_at = CASE WHEN ? THEN excluded.completed_at ELSE completed_at END,
       updated_at = excluded.updated_at`
  ).run(
    t.setId,
    t.reportId,
    t.reviewerId,
    patch.flagged ? 1 : 0,
    patch.comment ?? null,
    patch.completedAt ?? null,
    now,
    patch.flagged !== undefined ? 1 : 0,
    patch.comment !== undefined ? 1 : 0,
    patch.completedAt !== undefined ? 1 : 0
  )
}

/** Flag and/or comment on a report (per reviewer). */
export function setNote(db: Db, t: Omit<Target, 'role'> & { flagged?: boolean; comment?: string | null }): { flagged: boolean; comment: string | null } {
  return db.transaction(() => {
    const set = getSetRow(db, t.setId)
    const reviewer = getReviewer(db, t.reviewerId)
    if (!db.prepare('SELECT 1 FROM review_items WHERE set_id = ? AND report_id = ?').get(t.setId, t.reportId)) {
      throw new AppError('not_found', `Report ${t.reportId} is not in review set "${set.name}".`)
    }
    const comment = t.comment === undefined ? undefined : t.comment?.trim() ? t.comment.trim() : null
    upsertNote(db, t, { flagged: t.flagged, comment })
    audit(db, {
      actor: reviewer.name,
      action: 'review.note',
      entity: 'review_note',
      entityId: `${t.setId}/${t.reportId}`,
      details: { flagged: t.flagged, comment }
    })
    const row = db
      .prepare('SELECT flagged, comment FROM review_notes WHERE set_id = ? AND report_id = ? AND reviewer_id = ?')
      .get(t.setId, t.reportId, t.reviewerId) as { flagged: number; comment: string | null }
    return { flagged: row.flagged === 1, comment: row.comment }
  })()
}

/**
 * A reader completes a report: every label not decided yet takes its pre-filled state (assisted mode,
 * labels matched by name when the assist source uses another label-set version) or not mentioned.
 * An adjudicator completes a report when every disagreement has a decision.
 */
export function complete(db: Db, t: Target): { completedAt: string; filled: number } {
  return db.transaction(() => {
    const { set, reviewer } = authorise(db, t)
    const labels = db.prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord').all(set.label_set_id) as { id: number; name: string }[]
    const now = nowIso()
    if (t.role === 'adjudicator') {
      const reading = loadReadings(db, t.setId, t.reportId).get(t.reportId)!
      const pending = disagreements(reading, labels.map((l) => l.id)).filter((id) => !reading.adjudicated.has(id))
      if (pending.length) {
        const names = labels.filter((l) => pending.includes(l.id)).map((l) => l.name)
        throw new AppError('invalid_input', `Report ${t.reportId} still has ${pending.length} disagreement(s) to settle: ${names.join(', ')}.`, 'Choose a state for each of them first.')
      }
      audit(db, { actor: reviewer.name, action: 'review.adjudicate', entity: 'review_note', entityId: `${t.setId}/${t.reportId}` })
      return { completedAt: now, filled: 0 }
    }
    const decided = new Set(
      db
        .prepare('SELECT label_id FROM review_decisions WHERE set_id = ? AND report_id = ? AND reviewer_id = ?')
        .pluck()
        .all(t.setId, t.reportId, t.reviewerId) as number[]
    )
    const prefill = prefillByName(db, set.assist_source_id, t.reportId, set.mode === 'assisted')
    const insert = db.prepare(
      'INSERT INTO review_decisions (set_id, report_id, label_id, reviewer_id, role, state, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
    )
    let filled = 0
    const filledStates: Record<string, LabelState> = {}
    for (const l of labels) {
      if (decided.has(l.id)) continue
      const state = prefill.get(l.name) ?? 'not_mentioned'
      insert.run(t.setId, t.reportId, l.id, t.reviewerId, 'reader', state, now)
      filledStates[l.name] = state
      filled++
    }
    upsertNote(db, t, { completedAt: now })
    audit(db, {
      actor: reviewer.name,
      action: 'review.complete',
      entity: 'review_note',
      entityId: `${t.setId}/${t.reportId}`,
      details: { filled: filledStates, prefilledFrom: set.mode === 'assisted' ? set.assist_source_id : null }
    })
    refreshCurated(db, t.setId, t.reportId)
    return { completedAt: now, filled }
  })()
}

/** Pre-filled states by label name (assisted mode only). */
export function prefillByName(db: Db, assistSourceId: number | null, reportId: number, assisted: boolean): Map<string, LabelState> {
  if (!assisted || !assistSourceId) return new Map()
  const rows = db
    .prepare(
      `SELECT l.name, sl.state FROM source_labels sl JOIN labels l ON l.id = sl.label_id WHERE sl.source_id = ? AND sl.report_id = ?`
    )
    .all(assistSourceId, reportId) as { name: string; state: LabelState }[]
  return new Map(rows.map((r) => [r.name, r.state]))
}

export function recentDecisions(db: Db, setId: number, reviewerId: number, limit: number): RecentDecision[] {
  return db
    .prepare(
      `SELECT d.report_id AS reportId, r.report_key AS reportKey, d.label_id AS labelId, l.name AS label, d.state, d.decided_at AS decidedAt
       FROM review_decisions d JOIN reports r ON r.id = d.report_id JOIN labels l ON l.id = d.label_id
       WHERE d.set_id = ? AND d.reviewer_id = ? AND d.state <> 'not_mentioned' ORDER BY d.decided_at DESC, d.report_id DESC, d.label_id LIMIT ?`
    )
    .all(setId, reviewerId, limit) as RecentDecision[]
}
