// Which reports a run labels. A scope is resolved once, when a run is created (or a probe or batch
// export starts): its filters and pick (first N, seeded random N) become a fixed list of report ids,
// stored in run_scope_reports, so that resume and re-run label exactly the reports the user chose even
// when the workspace changes meanwhile (a sample stays a sample; "not labelled by X" does not drift).
import { AppError } from '../../common/errors'
import { runScopeSchema, type RunScope, type StoredRunScope } from '../../common/ipc/calls/detect'
export { describeScope } from '../../common/run-scope'
import { formatZodError } from '../../common/ipc/validation'
import { sampleRandom } from '../review/sampling'
import { getSetRow } from '../review/sets'
import type { Db } from '../store/db'
import { findSource } from '../store/repos/sources'

export interface ResolvedScope {
  /** What the run stores in scope_json. */
  stored: StoredRunScope
  /** The chosen report ids, ascending; null when the scope is the whole workspace or whole batches. */
  ids: number[] | null
  /** Reports in scope. */
  total: number
  /** Reports matching the filters before the first-N or sample pick. */
  matching: number
}

/** A label source by id or exact name, without counting its reports. */
export function sourceRef(db: Db, ref: string | number): { id: number; name: string } {
  const row = (
    typeof ref === 'number' || /^\d+$/.test(ref)
      ? db.prepare('SELECT id, name FROM sources WHERE id = ? AND deleting_since IS NULL').get(Number(ref))
      : db.prepare('SELECT id, name FROM sources WHERE name = ? AND deleting_since IS NULL').get(ref)
  ) as { id: number; name: string } | undefined
  return row ?? findSource(db, ref) // findSource throws the helpful "no such source, known: ..." error
}

const batchSql = (batchIds: number[] | undefined): { sql: string; args: number[] } =>
  batchIds?.length ? { sql: `r.batch_id IN (${batchIds.map(() => '?').join(',')})`, args: [...batchIds] } : { sql: '1', args: [] }

/** Report ids for report keys; unknown keys are an error that names the first few. */
function idsOfKeys(db: Db, keys: readonly string[]): number[] {
  const lookup = db.prepare('SELECT id FROM reports WHERE report_key = ?').pluck()
  const ids: number[] = []
  const unknown: string[] = []
  for (const key of new Set(keys)) {
    const id = lookup.get(key) as number | undefined
    if (id === undefined) unknown.push(key)
    else ids.push(id)
  }
  if (unknown.length) {
    throw new AppError(
      'invalid_input',
      `${unknown.length} of ${new Set(keys).size} report ids are not in this workspace: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`,
      'Report ids are the ids given at import (the id column); check the list, or remove those ids.'
    )
  }
  return ids
}

export function parseScope(input: unknown): RunScope {
  const parsed = runScopeSchema.safeParse(input ?? {})
  if (!parsed.success) throw new AppError('invalid_input', `Invalid run scope: ${formatZodError(parsed.error)}`)
  return parsed.data
}

/** Resolves a scope against the workspace as it is now. */
export function resolveScope(db: Db, input: RunScope | undefined): ResolvedScope {
  const scope = parseScope(input)
  const { reportIds, reportKeys, ...rest } = scope
  const stored: StoredRunScope = { ...rest }
  const batches = batchSql(scope.batchIds)
  const dynamic = !reportIds && !reportKeys && !scope.reviewSet && !scope.unlabelledBy && !scope.limit && !scope.sample
  if (dynamic) {
    // the whole workspace, or whole import batches: counted now, read chunk by chunk at run time
    const total = db.prepare(`SELECT count(*) FROM reports r WHERE ${batches.sql}`).pluck().get(...batches.args) as number
    return { stored, ids: null, total, matching: total }
  }

  const where = [batches.sql]
  const args: unknown[] = [...batches.args]
  if (scope.reviewSet !== undefined) {
    const set = getSetRow(db, scope.reviewSet)
    where.push('r.id IN (SELECT report_id FROM review_items WHERE set_id = ?)')
    args.push(set.id)
    stored.reviewSet = set.id
    stored.reviewSetName = set.name
  }
  if (scope.unlabelledBy !== undefined) {
    const source = sourceRef(db, scope.unlabelledBy)
    where.push('NOT EXISTS (SELECT 1 FROM source_labels sl WHERE sl.source_id = ? AND sl.report_id = r.id)')
    args.push(source.id)
    stored.unlabelledBy = source.id
    stored.unlabelledByName = source.name
  }
  let ids = db.prepare(`SELECT r.id FROM reports r WHERE ${where.join(' AND ')} ORDER BY r.id`).pluck().all(...args) as number[]
  if (reportIds || reportKeys) {
    const wanted = new Set<number>(reportIds ?? [])
    if (reportIds) {
      const exists = db.prepare('SELECT 1 FROM reports WHERE id = ?').pluck()
      const missing = reportIds.filter((id) => !exists.get(id))
      if (missing.length) throw new AppError('invalid_input', `Reports ${missing.slice(0, 5).join(', ')} do not exist in this workspace.`)
      stored.reportIdsGiven = new Set(reportIds).size
    }
    if (reportKeys) {
      for (const id of idsOfKeys(db, reportKeys)) wanted.add(id)
      stored.reportKeysGiven = new Set(reportKeys).size
    }
    ids = ids.filter((id) => wanted.has(id))
  }
  const matching = ids.length
  if (scope.limit) ids = ids.slice(0, scope.limit)
  else if (scope.sample) ids = sampleRandom(ids, Math.min(scope.sample.size, ids.length), scope.sample.seed).sort((a, b) => a - b)
  stored.frozen = true
  stored.chosen = ids.length
  return { stored, ids, total: ids.length, matching }
}

/** Stores a resolved scope's report ids for a run (inside the run's creating transaction). */
export function storeScopeIds(db: Db, sourceId: number, ids: readonly number[]): void {
  const insert = db.prepare('INSERT INTO run_scope_reports (source_id, report_id) VALUES (?, ?)')
  for (const id of ids) insert.run(sourceId, id)
}

/** SQL restricting `reports r` to a run's scope. */
export function scopeClause(scope: StoredRunScope, sourceId: number): { sql: string; args: number[] } {
  if (scope.frozen) return { sql: 'r.id IN (SELECT report_id FROM run_scope_reports WHERE source_id = ?)', args: [sourceId] }
  // runs created before scopes were frozen: batch ids and an explicit id list in scope_json
  const parts: string[] = []
  const args: number[] = []
  if (scope.batchIds?.length) {
    parts.push(`r.batch_id IN (${scope.batchIds.map(() => '?').join(',')})`)
    args.push(...scope.batchIds)
  }
  if (scope.reportIds?.length) {
    parts.push(`r.id IN (${scope.reportIds.map(() => '?').join(',')})`)
    args.push(...scope.reportIds)
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', args }
}
