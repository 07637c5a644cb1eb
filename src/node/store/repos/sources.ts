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
  /** False while an import or run is still writing it, or after one was killed or failed part-way. */
  complete: boolean
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
  s: { name: string; kind: SourceKind; labelSetId: number; description?: string | null; complete?: boolean }
): number {
  const existing = db.prepare('SELECT id FROM sources WHERE name = ?').get(s.name)
  if (existing) {
    throw new AppError('conflict', `A source named "${s.name}" already exists.`, 'Choose another name.')
  }
  const info = db
    .prepare('INSERT INTO sources (name, kind, label_set_id, description, created_at, complete) VALUES (?, ?, ?, ?, ?, ?)')
    .run(s.name, s.kind, s.labelSetId, s.description ?? null, nowIso(), s.complete === false ? 0 : 1)
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
         (SELECT count(DISTINCT report_id) FROM source_labels sl WHERE sl.source_id = s.id) AS reportCount,
         CASE WHEN s.kind = 'run' THEN coalesce((SELECT r.status = 'completed' FROM runs r WHERE r.source_id = s.id), s.complete)
              ELSE s.complete END AS complete
  FROM sources s JOIN label_sets ls ON ls.id = s.label_set_id`

const toInfo = (row: Omit<SourceInfo, 'complete'> & { complete: number }): SourceInfo => ({ ...row, complete: row.complete === 1 })

export function listSources(db: Db, kind?: SourceKind): SourceInfo[] {
  // a source being deleted (src/node/sources/delete.ts) is in no list
  const rows = (
    kind
      ? db.prepare(`${SOURCE_SELECT} WHERE s.kind = ? AND s.deleting_since IS NULL ORDER BY s.id`).all(kind)
      : db.prepare(`${SOURCE_SELECT} WHERE s.deleting_since IS NULL ORDER BY s.id`).all()
  ) as (Omit<SourceInfo, 'complete'> & { complete: number })[]
  return rows.map(toInfo)
}

/** Marks a source complete (its writer finished) or not. */
export function setSourceComplete(db: Db, id: number, complete: boolean): void {
  db.prepare('UPDATE sources SET complete = ? WHERE id = ?').run(complete ? 1 : 0, id)
}

/** By numeric id or exact name. */
export function findSource(db: Db, ref: string | number): SourceInfo {
  // a name made of digits is still found by name when no source has that id
  const row = (
    (typeof ref === 'number' || /^\d+$/.test(String(ref))
      ? db.prepare(`${SOURCE_SELECT} WHERE s.id = ? AND s.deleting_since IS NULL`).get(Number(ref))
      : undefined) ?? db.prepare(`${SOURCE_SELECT} WHERE s.name = ? AND s.deleting_since IS NULL`).get(String(ref).trim())
  ) as (Omit<SourceInfo, 'complete'> & { complete: number }) | undefined
  if (!row) {
    const known = (
      db.prepare('SELECT id, name FROM sources WHERE deleting_since IS NULL ORDER BY id DESC LIMIT 20').all() as { id: number; name: string }[]
    ).reverse()
    throw new AppError(
      'not_found',
      `There is no label source "${ref}".`,
      known.length ? `Known sources (id: name): ${known.map((s) => `${s.id}: ${s.name}`).join('; ')}.` : 'Run a labeler or import labels first.'
    )
  }
  return toInfo(row)
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
