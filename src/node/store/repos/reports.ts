// Reports: the original text exactly as imported, with sections as offsets into it.
import { AppError } from '../../../common/errors'
import type { ReportDetail, ReportPage, ReportSummary } from '../../../common/ipc/calls/reports'
import type { Section } from '../../../common/types'
import type { Db } from '../db'
import { nowIso } from '../db'

export interface NewReport {
  reportKey: string
  externalId: string | null
  batchId: number | null
  text: string
  contentHash: string
  sections: Section[]
  patientId?: string | null
  studyId?: string | null
  accession?: string | null
  studyDate?: string | null
  modality?: string | null
  meta?: Record<string, unknown> | null
  sourceLocation?: string | null
}

interface ReportRow {
  id: number
  report_key: string
  external_id: string | null
  batch_id: number | null
  text: string
  sections_json: string
  patient_id: string | null
  accession: string | null
  study_date: string | null
  modality: string | null
  meta_json: string | null
  source_location: string | null
}

const PREVIEW_CHARS = 160

export function insertReport(db: Db, r: NewReport): number {
  const info = db
    .prepare(
      `INSERT INTO reports (report_key, external_id, batch_id, text, content_hash, sections_json, patient_id, study_id,
         accession, study_date, modality, meta_json, source_location, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    .run(
      r.reportKey,
      r.externalId,
      r.batchId,
      r.text,
      r.contentHash,
      JSON.stringify(r.sections),
      r.patientId ?? null,
      r.studyId ?? null,
      r.accession ?? null,
      r.studyDate ?? null,
      r.modality ?? null,
      r.meta ? JSON.stringify(r.meta) : null,
      r.sourceLocation ?? null,
      nowIso()
    )
  return Number(info.lastInsertRowid)
}

function toSummary(row: Pick<ReportRow, 'id' | 'report_key' | 'external_id' | 'batch_id' | 'study_date'> & { preview: string }): ReportSummary {
  return {
    id: row.id,
    reportKey: row.report_key,
    externalId: row.external_id,
    batchId: row.batch_id,
    studyDate: row.study_date,
    preview: row.preview.replace(/\s+/g, ' ').trim()
  }
}

export function getReport(db: Db, id: number): ReportDetail {
  const row = db.prepare('SELECT * FROM reports WHERE id = ?').get(id) as ReportRow | undefined
  if (!row) throw new AppError('not_found', `There is no report ${id} in this workspace.`)
  return {
    ...toSummary({ ...row, preview: row.text.slice(0, PREVIEW_CHARS) }),
    text: row.text,
    sections: JSON.parse(row.sections_json) as Section[],
    patientId: row.patient_id,
    accession: row.accession,
    modality: row.modality,
    sourceLocation: row.source_location,
    meta: row.meta_json ? (JSON.parse(row.meta_json) as Record<string, unknown>) : {}
  }
}

export interface ReportQuery {
  offset: number
  limit: number
  search?: string
  batchId?: number
}

export function listReports(db: Db, q: ReportQuery): ReportPage {
  const where: string[] = []
  const args: unknown[] = []
  if (q.search) {
    where.push(`(text LIKE ? ESCAPE '\\' OR report_key LIKE ? ESCAPE '\\')`)
    const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    args.push(like, like)
  }
  if (q.batchId !== undefined) {
    where.push('batch_id = ?')
    args.push(q.batchId)
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = db.prepare(`SELECT count(*) FROM reports ${clause}`).pluck().get(...args) as number
  const rows = db
    .prepare(
      `SELECT id, report_key, external_id, batch_id, study_date, substr(text, 1, ${PREVIEW_CHARS}) AS preview
       FROM reports ${clause} ORDER BY id LIMIT ? OFFSET ?`
    )
    .all(...args, q.limit, q.offset) as (ReportRow & { preview: string })[]
  return { total, offset: q.offset, items: rows.map(toSummary) }
}

export function countReports(db: Db): number {
  return db.prepare('SELECT count(*) FROM reports').pluck().get() as number
}
