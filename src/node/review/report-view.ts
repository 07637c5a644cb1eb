// Everything the review screen needs for one report in one call: text, sections, this reviewer's
// decisions (never another reader's: readers are blinded to each other), pre-fills, evidence per source,
// and for the adjudicator both readings. One indexed lookup per table, so opening stays fast.
import { AppError } from '../../common/errors'
import type { DecisionRole, ReviewLabel, ReviewReport, SourceHighlight } from '../../common/ipc/calls/review'
import type { Evidence, LabelState, Section } from '../../common/types'
import type { Db } from '../store/db'
import { getReviewer } from '../store/repos/reviewers'
import { prefillByName } from './decisions'
import { disagreements, loadReadings } from './readings'
import { getSetRow } from './sets'

const MAX_HIGHLIGHT_SOURCES = 4

interface Input {
  reportId: number
  setId?: number
  reviewerId?: number
  role: DecisionRole
}

/** Sources with labels on this report, in the order they are coloured: the assist source, runs, imported, curated. */
function sourcesOnReport(db: Db, reportId: number, first: number | null, exclude: number | null): { id: number; name: string; kind: string }[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT s.id, s.name, s.kind FROM source_labels sl JOIN sources s ON s.id = sl.source_id
       WHERE sl.report_id = ? ORDER BY CASE s.kind WHEN 'run' THEN 0 WHEN 'imported' THEN 1 ELSE 2 END, s.id`
    )
    .all(reportId) as { id: number; name: string; kind: string }[]
  const list = rows.filter((r) => r.id !== exclude)
  const i = first === null ? -1 : list.findIndex((r) => r.id === first)
  if (i > 0) list.unshift(...list.splice(i, 1))
  return list.slice(0, MAX_HIGHLIGHT_SOURCES)
}

export function reviewReport(db: Db, input: Input): ReviewReport {
  const report = db
    .prepare('SELECT id, report_key, external_id, study_date, text, sections_json FROM reports WHERE id = ?')
    .get(input.reportId) as
    | { id: number; report_key: string; external_id: string | null; study_date: string | null; text: string; sections_json: string }
    | undefined
  if (!report) throw new AppError('not_found', `There is no report ${input.reportId} in this workspace.`, 'It may have been deleted with its import batch.')
  const set = input.setId ? getSetRow(db, input.setId) : null
  let position: number | null = null
  let size: number | null = null
  if (set) {
    position = db.prepare('SELECT ord FROM review_items WHERE set_id = ? AND report_id = ?').pluck().get(set.id, report.id) as number | null
    if (position === undefined || position === null) {
      throw new AppError('not_found', `Report ${report.report_key} is not in review set "${set.name}".`, 'Open it without the set, or choose it from the set\'s list.')
    }
    size = db.prepare('SELECT count(*) FROM review_items WHERE set_id = ?').pluck().get(set.id) as number
  }
  if (input.reviewerId) getReviewer(db, input.reviewerId)

  // the label set: the review set's, else the first source's, else the newest chexpert14
  const showSources = set ? (set.mode === 'assisted' ? sourcesOnReport(db, report.id, set.assist_source_id, set.curated_source_id) : []) : sourcesOnReport(db, report.id, null, null)
  const labelSetId =
    set?.label_set_id ??
    ((showSources.length
      ? db.prepare('SELECT label_set_id FROM sources WHERE id = ?').pluck().get(showSources[0].id)
      : db.prepare("SELECT id FROM label_sets WHERE slug = 'chexpert14' ORDER BY version DESC LIMIT 1").pluck().get()) as number)
  const labels = db.prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord').all(labelSetId) as { id: number; name: string }[]
  const idByName = new Map(labels.map((l) => [l.name, l.id]))

  const highlights: SourceHighlight[] = showSources.map((s, i) => {
    const rows = db
      .prepare(
        `SELECT l.name, sl.state, sl.evidence_json FROM source_labels sl JOIN labels l ON l.id = sl.label_id
         WHERE sl.source_id = ? AND sl.report_id = ?`
      )
      .all(s.id, report.id) as { name: string; state: LabelState; evidence_json: string | null }[]
    return {
      sourceId: s.id,
      name: s.name,
      colour: i + 1,
      labels: rows
        .filter((r) => idByName.has(r.name))
        .map((r) => ({ labelId: idByName.get(r.name)!, state: r.state, evidence: r.evidence_json ? (JSON.parse(r.evidence_json) as Evidence[]) : [] }))
    }
  })

  const reading = set ? loadReadings(db, set.id, report.id).get(report.id) : undefined
  const mine = input.reviewerId
    ? input.role === 'adjudicator'
      ? new Map([...(reading?.adjudicated ?? new Map())].filter(([, d]) => d.reviewerId === input.reviewerId))
      : (reading?.reader.get(input.reviewerId) ?? new Map())
    : new Map()
  const prefill = set ? prefillByName(db, set.assist_source_id, report.id, set.mode === 'assisted') : new Map<string, LabelState>()
  const disagreeing = new Set(reading && input.role === 'adjudicator' ? disagreements(reading, labels.map((l) => l.id)) : [])
  const reviewLabels: ReviewLabel[] = labels.map((l) => {
    const d = mine.get(l.id)
    const out: ReviewLabel = { labelId: l.id, name: l.name, decision: d?.state ?? null, decidedAt: d?.decidedAt ?? null, prefill: prefill.get(l.name) ?? null }
    if (input.role === 'adjudicator' && reading) {
      out.readers = reading.completed.slice(0, 2).map((c) => {
        const rd = reading.reader.get(c.reviewerId)?.get(l.id)
        return { reviewer: c.name, reviewerId: c.reviewerId, state: rd?.state ?? 'not_mentioned', decidedAt: rd?.decidedAt ?? c.completedAt }
      })
      out.disagreement = disagreeing.has(l.id)
    }
    return out
  })

  const note =
    set && input.reviewerId
      ? (db
          .prepare('SELECT flagged, comment, completed_at FROM review_notes WHERE set_id = ? AND report_id = ? AND reviewer_id = ?')
          .get(set.id, report.id, input.reviewerId) as { flagged: number; comment: string | null; completed_at: string | null } | undefined)
      : undefined
  return {
    setId: set?.id ?? null,
    mode: set?.mode ?? null,
    role: set ? input.role : null,
    reportId: report.id,
    reportKey: report.report_key,
    externalId: report.external_id,
    studyDate: report.study_date,
    text: report.text,
    sections: JSON.parse(report.sections_json) as Section[],
    labels: reviewLabels,
    highlights,
    flagged: note?.flagged === 1,
    comment: note?.comment ?? null,
    completedAt: note?.completed_at ?? null,
    position,
    size
  }
}
