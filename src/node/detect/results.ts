// Reading a run's results: pages of reports with one state per label, and one report in full
// (text, sections, evidence, deciding rules) for the report view.
import { AppError } from '../../common/errors'
import type { DetectReportResult, DetectResultsPage, DetectResultRow } from '../../common/ipc/calls/detect'
import type { Evidence, LabelState, Section } from '../../common/types'
import { getRun, scopeClause } from '../engines/run'
import type { Db } from '../store/db'
import { getLabelSet } from '../store/repos/labelSets'
import { labelsOfReport } from '../store/repos/sources'

const PREVIEW_CHARS = 160

export interface ResultsQuery {
  sourceId: number
  offset: number
  limit: number
  search?: string
  label?: string
  state?: LabelState | 'asserted'
  status?: 'done' | 'failed' | 'pending'
}

export function runResults(db: Db, q: ResultsQuery): DetectResultsPage {
  const run = getRun(db, q.sourceId)
  const labelSet = getLabelSet(db, run.labelSetId)
  const labels = labelSet.labels
  const scope = scopeClause(run.scope, run.sourceId)
  const where = [scope.sql]
  const args: unknown[] = [...scope.args]
  if (q.search) {
    where.push(`(r.text LIKE ? ESCAPE '\\' OR r.report_key LIKE ? ESCAPE '\\')`)
    const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    args.push(like, like)
  }
  if (q.label) {
    const label = labels.find((l) => l.name === q.label)
    if (!label) {
      throw new AppError(
        'invalid_input',
        `The label set of run "${run.name}" has no label "${q.label}".`,
        `Labels: ${labels.map((l) => l.name).join(', ')}.`
      )
    }
    const states = q.state === 'asserted' ? ['positive', 'uncertain'] : q.state ? [q.state] : ['positive', 'uncertain']
    where.push(
      `EXISTS (SELECT 1 FROM source_labels sl WHERE sl.source_id = ? AND sl.report_id = r.id AND sl.label_id = ?
         AND sl.state IN (${states.map(() => '?').join(',')}))`
    )
    args.push(run.sourceId, label.id, ...states)
  }
  if (q.status === 'pending') {
    where.push('NOT EXISTS (SELECT 1 FROM run_reports rr WHERE rr.source_id = ? AND rr.report_id = r.id)')
    args.push(run.sourceId)
  } else if (q.status) {
    where.push('EXISTS (SELECT 1 FROM run_reports rr WHERE rr.source_id = ? AND rr.report_id = r.id AND rr.status = ?)')
    args.push(run.sourceId, q.status)
  }
  const clause = where.join(' AND ')
  const total = db.prepare(`SELECT count(*) FROM reports r WHERE ${clause}`).pluck().get(...args) as number
  const rows = db
    .prepare(
      `SELECT r.id, r.report_key, substr(r.text, 1, ${PREVIEW_CHARS}) AS preview, rr.status, rr.error
       FROM reports r LEFT JOIN run_reports rr ON rr.source_id = ? AND rr.report_id = r.id
       WHERE ${clause} ORDER BY r.id LIMIT ? OFFSET ?`
    )
    .all(run.sourceId, ...args, q.limit, q.offset) as {
    id: number
    report_key: string
    preview: string
    status: 'done' | 'failed' | null
    error: string | null
  }[]
  const labelIndex = new Map(labels.map((l, i) => [l.id, i]))
  const items: DetectResultRow[] = rows.map((r) => ({
    reportId: r.id,
    reportKey: r.report_key,
    preview: r.preview.replace(/\s+/g, ' '),
    states: labels.map(() => null),
    status: r.status ?? 'pending',
    error: r.error
  }))
  if (items.length) {
    const byReport = new Map(items.map((it) => [it.reportId, it]))
    const stateRows = db
      .prepare(
        `SELECT report_id, label_id, state FROM source_labels
         WHERE source_id = ? AND report_id IN (${items.map(() => '?').join(',')})`
      )
      .all(run.sourceId, ...items.map((i) => i.reportId)) as { report_id: number; label_id: number; state: LabelState }[]
    for (const s of stateRows) {
      const i = labelIndex.get(s.label_id)
      const item = byReport.get(s.report_id)
      if (i !== undefined && item) item.states[i] = s.state
    }
  }
  return { total, offset: q.offset, labels: labels.map((l) => l.name), items }
}

export function runReport(db: Db, sourceId: number, reportId: number): DetectReportResult {
  const run = getRun(db, sourceId)
  const report = db.prepare('SELECT id, report_key, text, sections_json FROM reports WHERE id = ?').get(reportId) as
    | { id: number; report_key: string; text: string; sections_json: string }
    | undefined
  if (!report) throw new AppError('not_found', `There is no report ${reportId}.`)
  const rr = db
    .prepare('SELECT status, error, raw_output FROM run_reports WHERE source_id = ? AND report_id = ?')
    .get(sourceId, reportId) as { status: 'done' | 'failed'; error: string | null; raw_output: string | null } | undefined
  const findings = (
    db
      .prepare(
        `SELECT f.phrase, l.name AS label, f.evidence_json FROM findings f LEFT JOIN labels l ON l.id = f.label_id
         WHERE f.source_id = ? AND f.report_id = ? ORDER BY f.id`
      )
      .all(sourceId, reportId) as { phrase: string; label: string | null; evidence_json: string | null }[]
  ).map((f) => ({ phrase: f.phrase, label: f.label, evidence: f.evidence_json ? (JSON.parse(f.evidence_json) as Evidence[]) : [] }))
  return {
    sourceId: run.sourceId,
    reportId,
    reportKey: report.report_key,
    text: report.text,
    sections: JSON.parse(report.sections_json) as Section[],
    status: rr?.status ?? 'pending',
    error: rr?.error ?? null,
    raw: rr?.raw_output ?? null,
    labels: labelsOfReport(db, sourceId, reportId).map((l) => ({ label: l.label, state: l.state, evidence: l.evidence, rule: l.rule })),
    findings
  }
}
