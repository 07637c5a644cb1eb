// The evaluation history: every evaluation run from the app (settings, provenance, results), newest
// first, to reopen, compare and delete. Results are stored whole (JSON), as they were shown.
import { AppError } from '../../common/errors'
import type { EvaluationRequest, HistoryEntry, HistorySummary } from '../../common/ipc/calls/evaluate'
import type { StoreEvaluation } from '../../common/eval/results'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'

interface Row {
  id: number
  created_at: string
  reference_name: string
  prediction_names_json: string
  n_reports: number
  request_json: string
  result_json: string
}

export function saveEvaluation(db: Db, request: EvaluationRequest, result: StoreEvaluation, jobId?: number): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO evaluations (created_at, reference_name, prediction_names_json, n_reports, request_json, result_json, job_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        nowIso(),
        result.reference.name,
        JSON.stringify(result.predictions.map((p) => p.name)),
        result.nReports,
        JSON.stringify(request),
        JSON.stringify(result),
        jobId ?? null
      ).lastInsertRowid
  )
  return id
}

function summary(row: Row): HistorySummary {
  const result = JSON.parse(row.result_json) as StoreEvaluation
  return {
    id: row.id,
    createdAt: row.created_at,
    referenceName: row.reference_name,
    predictionNames: JSON.parse(row.prediction_names_json) as string[],
    nReports: row.n_reports,
    settings: result.settings,
    microF1: result.comparison.results.map((r) => r.micro.f1),
    macroF1: result.comparison.results.map((r) => r.macro.f1)
  }
}

export function listEvaluations(db: Db, limit = 200): HistorySummary[] {
  return (db.prepare('SELECT * FROM evaluations ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(summary)
}

export function getEvaluation(db: Db, id: number): HistoryEntry {
  const row = db.prepare('SELECT * FROM evaluations WHERE id = ?').get(id) as Row | undefined
  if (!row) throw new AppError('not_found', `There is no saved evaluation ${id}.`, 'It may have been deleted; choose one from the history.')
  return { ...summary(row), request: JSON.parse(row.request_json) as EvaluationRequest, result: JSON.parse(row.result_json) as StoreEvaluation }
}

export function deleteEvaluation(db: Db, id: number, actor = 'user'): void {
  const info = db.prepare('DELETE FROM evaluations WHERE id = ?').run(id)
  if (info.changes === 0) throw new AppError('not_found', `There is no saved evaluation ${id}.`, 'It may have been deleted already.')
  audit(db, { actor, action: 'evaluation.delete', entity: 'evaluation', entityId: id, details: {} })
}
