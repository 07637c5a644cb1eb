// Deleting a label source: a run, imported labels or curated labels. The user first sees what goes
// (deletionPlan), then confirms. Deletion is marked and audited in one transaction (the source vanishes
// from every list at once), its rows are removed in chunked transactions (a source of a million reports
// never holds the database or the main process for long), and the source row last. A deletion that
// was interrupted (crash, power) is finished when the workspace is opened next. The audit log keeps
// the record: what was deleted, by whom, with its counts and the run's settings and provenance.
import { AppError } from '../../common/errors'
import type { SourceDeletionPlan } from '../../common/ipc/calls/sources'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'

export interface DeleteOptions {
  actor: string
  /** Rows per chunk transaction. */
  chunkRows?: number
  /** Called between chunks (the app yields to the event loop there). */
  between?: () => Promise<void>
  onProgress?: (rowsDeleted: number) => void
}

const CHUNK_ROWS = 20_000

function sourceRow(db: Db, ref: string | number): { id: number; name: string; kind: string; label_set_id: number } {
  const byId = typeof ref === 'number' || /^\d+$/.test(ref)
  const row = (
    byId
      ? db.prepare('SELECT id, name, kind, label_set_id FROM sources WHERE id = ? AND deleting_since IS NULL').get(Number(ref))
      : db.prepare('SELECT id, name, kind, label_set_id FROM sources WHERE name = ? AND deleting_since IS NULL').get(ref)
  ) as { id: number; name: string; kind: string; label_set_id: number } | undefined
  if (!row) {
    const names = db.prepare('SELECT id, name FROM sources WHERE deleting_since IS NULL ORDER BY id LIMIT 20').all() as { id: number; name: string }[]
    throw new AppError(
      'not_found',
      `There is no label source ${byId ? ref : `"${ref}"`}.`,
      names.length ? `Sources: ${names.map((n) => `${n.id} "${n.name}"`).join(', ')}.` : 'This workspace has no label sources.'
    )
  }
  return row
}

/** What deleting a source removes, and what it affects: shown to the user before they confirm. */
export function deletionPlan(db: Db, ref: string | number): SourceDeletionPlan {
  const s = sourceRow(db, ref)
  const count = (sql: string): number => db.prepare(sql).pluck().get(s.id) as number
  const run = db.prepare('SELECT engine, status, config_json, provenance_json, reports_total FROM runs WHERE source_id = ?').get(s.id) as
    | { engine: string; status: string; config_json: string; provenance_json: string; reports_total: number }
    | undefined
  const ls = db.prepare('SELECT slug, version FROM label_sets WHERE id = ?').get(s.label_set_id) as { slug: string; version: number }
  const warnings: string[] = []
  for (const set of db.prepare('SELECT name FROM review_sets WHERE curated_source_id = ?').pluck().all(s.id) as string[]) {
    warnings.push(`Review set "${set}" writes its settled labels to this source; its decisions stay, but they will no longer be collected as a source.`)
  }
  for (const set of db.prepare('SELECT name FROM review_sets WHERE assist_source_id = ?').pluck().all(s.id) as string[]) {
    warnings.push(`Review set "${set}" shows this source's labels to its readers (assisted mode); it will show none.`)
  }
  const blocked = run && (run.status === 'running' || run.status === 'queued') ? `The run is ${run.status}: cancel or pause it first.` : null
  return {
    id: s.id,
    name: s.name,
    kind: s.kind as SourceDeletionPlan['kind'],
    labelSet: `${ls.slug}@${ls.version}`,
    reports: count('SELECT count(DISTINCT report_id) FROM source_labels WHERE source_id = ?'),
    labels: count('SELECT count(*) FROM source_labels WHERE source_id = ?'),
    findings: count('SELECT count(*) FROM findings WHERE source_id = ?'),
    ...(run ? { run: { engine: run.engine, status: run.status, reportsTotal: run.reports_total } } : {}),
    warnings,
    blocked
  }
}

/** Deletes a source after the user confirmed; returns what was deleted. */
export async function deleteSource(db: Db, ref: string | number, options: DeleteOptions): Promise<SourceDeletionPlan> {
  const plan = deletionPlan(db, ref)
  if (plan.blocked) throw new AppError('conflict', `"${plan.name}" cannot be deleted now. ${plan.blocked}`)
  db.transaction(() => {
    const run = db.prepare('SELECT config_json, provenance_json, scope_json FROM runs WHERE source_id = ?').get(plan.id) as
      | { config_json: string; provenance_json: string; scope_json: string }
      | undefined
    db.prepare('UPDATE sources SET deleting_since = ? WHERE id = ?').run(nowIso(), plan.id)
    audit(db, {
      actor: options.actor,
      action: 'source.delete',
      entity: 'source',
      entityId: plan.id,
      details: {
        ...plan,
        ...(run ? { config: JSON.parse(run.config_json), provenance: JSON.parse(run.provenance_json), scope: JSON.parse(run.scope_json) } : {})
      }
    })
  })()
  await removeMarked(db, plan.id, options)
  return plan
}

/** The chunk statements: each deletes at most `chunk` rows of one table of the source. */
function chunkDeleters(db: Db, id: number, chunk: number): (() => number)[] {
  const stmts = [
    // WITHOUT ROWID tables: pick a chunk of report ids; delete their rows
    `DELETE FROM source_labels WHERE source_id = @s AND report_id IN (SELECT report_id FROM source_labels WHERE source_id = @s ORDER BY report_id LIMIT @n)`,
    `DELETE FROM findings WHERE id IN (SELECT id FROM findings WHERE source_id = @s LIMIT @n)`,
    `DELETE FROM run_reports WHERE source_id = @s AND report_id IN (SELECT report_id FROM run_reports WHERE source_id = @s ORDER BY report_id LIMIT @n)`,
    `DELETE FROM run_scope_reports WHERE source_id = @s AND report_id IN (SELECT report_id FROM run_scope_reports WHERE source_id = @s ORDER BY report_id LIMIT @n)`
  ].map((sql) => db.prepare(sql))
  return stmts.map((stmt) => () => stmt.run({ s: id, n: chunk }).changes)
}

async function removeMarked(db: Db, id: number, options: Partial<DeleteOptions>): Promise<void> {
  // each statement deletes about `chunk` rows (the label rows of chunk/labels reports)
  const chunk = options.chunkRows ?? CHUNK_ROWS
  let deleted = 0
  for (const step of chunkDeleters(db, id, Math.max(1, chunk))) {
    for (;;) {
      const n = db.transaction(step)()
      if (n === 0) break
      deleted += n
      options.onProgress?.(deleted)
      await options.between?.()
    }
  }
  db.transaction(() => {
    db.prepare('DELETE FROM sources WHERE id = ?').run(id)
    audit(db, { actor: options.actor ?? 'system', action: 'source.deleted', entity: 'source', entityId: id, details: { rows: deleted } })
  })()
}

/** Finishes deletions that were interrupted (a first-open step; synchronous chunks). */
export function finishInterruptedDeletions(db: Db): void {
  if (db.readonly) return
  const pending = db.prepare('SELECT id FROM sources WHERE deleting_since IS NOT NULL').pluck().all() as number[]
  for (const id of pending) {
    for (const step of chunkDeleters(db, id, CHUNK_ROWS)) while (db.transaction(step)() > 0);
    db.transaction(() => {
      db.prepare('DELETE FROM sources WHERE id = ?').run(id)
      audit(db, { actor: 'system', action: 'source.deleted', entity: 'source', entityId: id, details: { finished: 'on open, after an interruption' } })
    })()
  }
}
