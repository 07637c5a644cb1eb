// Sources: every set of labels (an engine run, imported labels, curated review labels) and its labels.
import { AppError } from '../../../common/errors'
import type { Evidence, LabelState } from '../../../common/types'
import type { Db } from '../db'
import { nowIso } from '../db'

export type SourceKind = 'run' | 'imported' | 'curated'

export interface SourceInfo {
  id: number
  name: string
  kind: SourceKind
  labelSetId: number
  labelSetSlug: string
  labelSetVersion: number
  description: string | null
  createdAt: string
  reportCount: number
}

export interface SourceLabel {
  reportId: number
  labelId: number
  state: LabelState
  evidence?: Evidence[] | null
  rule?: string | null
}

export function createSource(
  db: Db,
  s: { name: string; kind: SourceKind; labelSetId: number; description?: string | null }
): number {
  const existing = db.prepare('SELECT id FROM sources WHERE name = ?').get(s.name)
  if (existing) {
    throw new AppError('conflict', `A source named "${s.name}" already exists.`, 'Choose another name.')
  }
  const info = db
    .prepare('INSERT INTO sources (name, kind, label_set_id, description, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(s.name, s.kind, s.labelSetId, s.description ?? null, nowIso())
  return Number(info.lastInsertRowid)
}

/** A name not used yet: `base`, else `base (2)`, `base (3)`, ... */
export function uniqueSourceName(db: Db, base: string): string {
  const taken = new Set(db.prepare('SELECT name FROM sources WHERE name LIKE ?').pluck().all(`${base}%`) as string[])
  if (!taken.has(base)) return base
  for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`
}

const SOURCE_SELECT = `
  SELECT s.id, s.name, s.kind, s.label_set_id AS labelSetId, ls.slug AS labelSetSlug, ls.version AS labelSetVersion,
         s.description, s.created_at AS createdAt,
         (SELECT count(DISTINCT report_id) FROM source_labels sl WHERE sl.source_id = s.id) AS reportCount
  FROM sources s JOIN label_sets ls ON ls.id = s.label_set_id`

export function listSources(db: Db, kind?: SourceKind): SourceInfo[] {
  // a source being deleted (src/node/sources/delete.ts) is in no list
  return (
    kind
      ? db.prepare(`${SOURCE_SELECT} WHERE s.kind = ? AND s.deleting_since IS NULL ORDER BY s.id`).all(kind)
      : db.prepare(`${SOURCE_SELECT} WHERE s.deleting_since IS NULL ORDER BY s.id`).all()
  ) as SourceInfo[]
}

/** By numeric id or exact name. */
export function findSource(db: Db, ref: string | number): SourceInfo {
  const row = (
    typeof ref === 'number' || /^\d+$/.test(String(ref))
      ? db.prepare(`${SOURCE_SELECT} WHERE s.id = ? AND s.deleting_since IS NULL`).get(Number(ref))
      : db.prepare(`${SOURCE_SELECT} WHERE s.name = ? AND s.deleting_since IS NULL`).get(ref)
  ) as SourceInfo | undefined
  if (!row) {
    const names = (db.prepare('SELECT name FROM sources WHERE deleting_since IS NULL ORDER BY id').pluck().all() as string[]).slice(0, 20)
    throw new AppError(
      'not_found',
      `There is no label source "${ref}".`,
      names.length ? `Known sources: ${names.join(', ')}.` : 'Run a labeler or import labels first.'
    )
  }
  return row
}

/** Replaces the labels of the given reports in a source (call inside a transaction for a chunk). */
export function writeSourceLabels(db: Db, sourceId: number, labels: SourceLabel[]): void {
  const upsert = db.prepare(
    `INSERT INTO source_labels (source_id, report_id, label_id, state, evidence_json, rule) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_id, report_id, label_id) DO UPDATE SET state = excluded.state,
       evidence_json = excluded.evidence_json, rule = excluded.rule`
  )
  for (const l of labels) {
    upsert.run(
      sourceId,
      l.reportId,
      l.labelId,
      l.state,
      l.evidence && l.evidence.length ? JSON.stringify(l.evidence) : null,
      l.rule ?? null
    )
  }
}

export interface ReportLabel {
  labelId: number
  label: string
  state: LabelState
  evidence: Evidence[]
  rule: string | null
}

export function labelsOfReport(db: Db, sourceId: number, reportId: number): ReportLabel[] {
  const rows = db
    .prepare(
      `SELECT sl.label_id AS labelId, l.name AS label, sl.state, sl.evidence_json, sl.rule
       FROM source_labels sl JOIN labels l ON l.id = sl.label_id
       WHERE sl.source_id = ? AND sl.report_id = ? ORDER BY l.ord`
    )
    .all(sourceId, reportId) as (Omit<ReportLabel, 'evidence'> & { evidence_json: string | null })[]
  return rows.map(({ evidence_json, ...r }) => ({ ...r, evidence: evidence_json ? JSON.parse(evidence_json) : [] }))
}

export function deleteSource(db: Db, id: number): void {
  db.prepare('DELETE FROM sources WHERE id = ?').run(id)
}
