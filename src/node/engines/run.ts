// The generic run driver: turns an engine into a resumable, cancellable job over a workspace.
// Per-report results are committed chunk by chunk, so a crash loses at most the chunk in flight.
import { AppError } from '../../common/errors'
import type { DetectRun, RunScope } from '../../common/ipc/calls/detect'
import { formatZodError, zodIssueDetails } from '../../common/ipc/validation'
import type { JobContext } from '../jobs/jobManager'
import { yieldToEventLoop } from '../jobs/jobManager'
import type { Db } from '../store/db'
import type { Statement } from 'better-sqlite3'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'
import { findLabelSet, getLabelSet } from '../store/repos/labelSets'
import { createSource, uniqueSourceName } from '../store/repos/sources'
import { APP_VERSION } from '../version'
import { RunMeter } from './meter'
import { getEngine } from './registry'
import { describeScope, resolveScope, scopeClause, storeScopeIds, type ResolvedScope } from './scope'
import { PartialBatchError, type Engine, type EngineReport, type EngineResult } from './types'

export type { RunScope } from '../../common/ipc/calls/detect'
export { scopeClause } from './scope'

export interface CreateRunInput {
  engine: string
  labelSet: string | number
  config: unknown
  name?: string
  scope?: RunScope
  actor?: string
}

/** Validates an engine's settings (the engine's own schema) before anything is created or loaded. */
export function parseEngineConfig(engineName: string, config: unknown): { engine: Engine; config: unknown } {
  const engine = getEngine(engineName)
  const parsed = engine.configSchema.safeParse(config ?? {})
  if (!parsed.success) {
    throw new AppError('invalid_input', formatZodError(parsed.error), undefined, { engine: engine.name, ...zodIssueDetails(parsed.error) })
  }
  return { engine, config: parsed.data }
}

/** A run as the UI and CLI see it (declared with the IPC contract). */
export type RunInfo = DetectRun

export interface RunJobParams {
  sourceId: number
  onlyFailed?: boolean
}

export const RUN_JOB_KIND = 'detect'

export function createRun(db: Db, input: CreateRunInput): RunInfo {
  const { engine, config } = parseEngineConfig(input.engine, input.config)
  const labelSet = findLabelSet(db, input.labelSet)
  const scope = resolveScope(db, input.scope)
  const total = scope.total
  if (total === 0) throw emptyScopeError(db, scope)
  const stamp = nowIso().slice(0, 16).replace('T', ' ')
  const name = input.name?.trim() || uniqueSourceName(db, `${engine.name} · ${labelSet.slug} v${labelSet.version} · ${stamp}`)
  const sourceId = db.transaction(() => {
    const id = createSource(db, { name, kind: 'run', labelSetId: labelSet.id })
    db.prepare(
      `INSERT INTO runs (source_id, engine, config_json, scope_json, status, reports_total) VALUES (?, ?, ?, ?, 'queued', ?)`
    ).run(id, engine.name, JSON.stringify(config), JSON.stringify(scope.stored), total)
    if (scope.ids) storeScopeIds(db, id, scope.ids)
    audit(db, {
      actor: input.actor ?? 'system',
      action: 'run.create',
      entity: 'run',
      entityId: id,
      details: { engine: engine.name, labelSet: `${labelSet.slug}@${labelSet.version}`, scope: describeScope(scope.stored, total) }
    })
    return id
  })()
  return getRun(db, sourceId)
}

interface RunRow {
  source_id: number
  name: string
  engine: string
  label_set_id: number
  slug: string
  version: number
  status: string
  config_json: string
  provenance_json: string
  scope_json: string
  reports_total: number
  reports_done: number
  reports_failed: number
  reports_warned: number
  prompt_tokens: number
  completion_tokens: number
  wall_ms: number
  error: string | null
  job_id: number | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

const RUN_SELECT = `SELECT r.*, s.name, s.label_set_id, s.created_at, ls.slug, ls.version,
    (SELECT count(*) FROM run_reports w WHERE w.source_id = r.source_id AND w.warning IS NOT NULL) AS reports_warned
  FROM runs r JOIN sources s ON s.id = r.source_id JOIN label_sets ls ON ls.id = s.label_set_id`

function toRunInfo(row: RunRow): RunInfo {
  return {
    sourceId: row.source_id,
    name: row.name,
    engine: row.engine,
    labelSetId: row.label_set_id,
    labelSetSlug: row.slug,
    labelSetVersion: row.version,
    status: row.status,
    config: JSON.parse(row.config_json),
    provenance: JSON.parse(row.provenance_json),
    scope: JSON.parse(row.scope_json),
    reportsTotal: row.reports_total,
    reportsDone: row.reports_done,
    reportsFailed: row.reports_failed,
    reportsWarned: row.reports_warned,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    wallMs: row.wall_ms,
    error: row.error,
    jobId: row.job_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at
  }
}

/** Why a scope holds no report, said so that the user knows what to change. */
export function emptyScopeError(db: Db, scope: ResolvedScope): AppError {
  const reports = db.prepare('SELECT count(*) FROM reports').pluck().get() as number
  if (reports === 0) return new AppError('invalid_input', 'There are no reports to label in this workspace.', 'Import reports first.')
  return new AppError(
    'invalid_input',
    `The run's scope holds no reports (${describeScope(scope.stored, 0)}).`,
    scope.stored.unlabelledBy !== undefined ? 'That source has labelled every report in the scope.' : 'Widen the scope: other batches, another review set, or more report ids.'
  )
}

export function getRun(db: Db, sourceId: number): RunInfo {
  const row = db.prepare(`${RUN_SELECT} WHERE r.source_id = ? AND s.deleting_since IS NULL`).get(sourceId) as RunRow | undefined
  if (!row) throw new AppError('not_found', `There is no run ${sourceId}.`)
  return toRunInfo(row)
}

export function listRuns(db: Db): RunInfo[] {
  return (db.prepare(`${RUN_SELECT} WHERE s.deleting_since IS NULL ORDER BY r.source_id DESC`).all() as RunRow[]).map(toRunInfo)
}

/** Runs (or resumes) a run: labels every report in scope that has no 'done' result yet. */
export async function executeRun(params: RunJobParams, ctx: JobContext): Promise<RunInfo> {
  const { db } = ctx.workspace
  const run = getRun(db, params.sourceId)
  const engine = getEngine(run.engine)
  const stored = getLabelSet(db, run.labelSetId)
  const labelIds = new Map(stored.labels.map((l) => [l.name, l.id]))
  const where = scopeClause(run.scope, run.sourceId)
  const started = Date.now()
  db.prepare(`UPDATE runs SET status = 'running', job_id = ?, error = NULL, started_at = coalesce(started_at, ?), finished_at = NULL WHERE source_id = ?`).run(
    ctx.jobId,
    nowIso(),
    run.sourceId
  )

  const pendingFilter = params.onlyFailed
    ? `EXISTS (SELECT 1 FROM run_reports rr WHERE rr.source_id = ? AND rr.report_id = r.id AND rr.status = 'failed')`
    : `NOT EXISTS (SELECT 1 FROM run_reports rr WHERE rr.source_id = ? AND rr.report_id = r.id AND rr.status = 'done')`
  const nextChunk = db.prepare(
    `SELECT r.id, r.text, r.sections_json FROM reports r WHERE ${where.sql} AND r.id > ? AND ${pendingFilter} ORDER BY r.id LIMIT ?`
  )
  const counters = db.prepare(
    `SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') AS failed
     FROM run_reports WHERE source_id = ?`
  )
  const progressOf = (): { done: number; failed: number } => counters.get(run.sourceId) as { done: number; failed: number }

  let status: 'completed' | 'cancelled' | 'paused' | 'failed' = 'completed'
  let error: string | null = null
  let tokensIn = 0
  let tokensOut = 0
  const session = await engine
    .open(run.config, { ...stored.definition, version: stored.version }, (message) => ctx.report({ message }))
    .catch((err: unknown) => {
      const e = AppError.from(err)
      db.prepare(`UPDATE runs SET status = 'failed', error = ?, finished_at = ? WHERE source_id = ?`).run(e.message, nowIso(), run.sourceId)
      throw removeEmptyFailedRun(db, run.sourceId) ? new AppError(e.code, `${e.message} (no report was labelled, so the empty run was removed; start it again when fixed)`, e.hint) : e
    })
  try {
    const provenance = { ...session.provenance, engine: engine.name, labelSet: { slug: stored.slug, version: stored.version }, config: run.config, radlabel: APP_VERSION }
    db.prepare('UPDATE runs SET provenance_json = ? WHERE source_id = ?').run(JSON.stringify(provenance), run.sourceId)
    const batchSize = engine.batchSize?.(run.config) ?? 256
    let lastId = 0
    const initial = progressOf()
    const meter = new RunMeter(params.onlyFailed ? 0 : initial.done, params.onlyFailed ? initial.failed : run.reportsTotal)
    ctx.report(meter.progress())
    for (;;) {
      if (ctx.signal.aborted) break
      const rows = nextChunk.all(...where.args, lastId, run.sourceId, batchSize) as { id: number; text: string; sections_json: string }[]
      if (rows.length === 0) break
      lastId = rows[rows.length - 1].id
      const batch: EngineReport[] = rows.map((r) => ({ id: r.id, text: r.text, sections: JSON.parse(r.sections_json) }))
      meter.startLabelling()
      const seen = new Set<number>()
      let results: EngineResult[]
      try {
        results = await session.label(batch, ctx.signal, (r) => {
          if (seen.has(r.reportId)) return
          seen.add(r.reportId)
          meter.add(r)
          ctx.report(meter.progress())
        })
      } catch (err) {
        // Reports answered before the batch stopped are stored, so resume does not send them again.
        if (err instanceof PartialBatchError && err.completed.length) {
          commitResults(db, run.sourceId, err.completed, labelIds)
          for (const r of err.completed) {
            if (r.ok) {
              tokensIn += r.promptTokens ?? 0
              tokensOut += r.completionTokens ?? 0
            }
          }
        }
        throw err
      }
      if (results.length !== batch.length) {
        throw new AppError('engine_failed', `The ${engine.name} engine returned ${results.length} results for ${batch.length} reports.`)
      }
      commitResults(db, run.sourceId, results, labelIds)
      for (const r of results) {
        if (!seen.has(r.reportId)) meter.add(r)
        if (r.ok) {
          tokensIn += r.promptTokens ?? 0
          tokensOut += r.completionTokens ?? 0
        }
      }
      const p = progressOf()
      db.prepare('UPDATE runs SET reports_done = ?, reports_failed = ? WHERE source_id = ?').run(p.done, p.failed, run.sourceId)
      ctx.report(meter.progress())
      await yieldToEventLoop()
    }
    if (ctx.signal.aborted) status = stopStatus(ctx)
  } catch (err) {
    if (ctx.signal.aborted) status = stopStatus(ctx)
    else {
      status = 'failed'
      error = AppError.from(err).message
    }
  } finally {
    await session.close().catch(() => {})
  }
  const p = progressOf()
  if (status === 'completed' && p.done + p.failed < run.reportsTotal) status = 'failed'
  db.prepare(
    `UPDATE runs SET status = ?, error = ?, reports_done = ?, reports_failed = ?, prompt_tokens = prompt_tokens + ?,
       completion_tokens = completion_tokens + ?, wall_ms = wall_ms + ?, finished_at = ? WHERE source_id = ?`
  ).run(status, error, p.done, p.failed, tokensIn, tokensOut, Date.now() - started, nowIso(), run.sourceId)
  if (status === 'failed') throw new AppError('engine_failed', error ?? 'The run stopped before every report was labelled.')
  return getRun(db, run.sourceId)
}

/**
 * A run whose engine could not start (no model, no server) and that holds no result from an earlier
 * attempt is no result: remove its source, so it shows in no source list and does not take the name of the
 * next attempt (no "(2)" suffix). The job keeps the failure and its reason. Runs that failed while
 * labelling are kept with their error (and their per-report results, to resume or re-run).
 */
function removeEmptyFailedRun(db: Db, sourceId: number): boolean {
  const tried = db.prepare('SELECT 1 FROM run_reports WHERE source_id = ? LIMIT 1').get(sourceId)
  if (tried) return false
  db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId)
  return true
}

const stopStatus = (ctx: JobContext): 'paused' | 'cancelled' => (ctx.signal.reason === 'pause' ? 'paused' : 'cancelled')

const LABEL_COLUMNS = '(source_id, report_id, label_id, state, evidence_json, rule)'
const LABEL_UPSERT = `ON CONFLICT (source_id, report_id, label_id) DO UPDATE SET state = excluded.state,
  evidence_json = excluded.evidence_json, rule = excluded.rule`

/** Statements of commitResults, prepared once per database (preparing them per chunk and per report cost more than the writes). */
const statementCache = new WeakMap<Db, ReturnType<typeof prepareStatements>>()
function prepareStatements(db: Db) {
  const labelRows = new Map<number, Statement>()
  return {
    markReport: db.prepare(
      `INSERT INTO run_reports (source_id, report_id, status, error, raw_output, prompt_tokens, completion_tokens, finished_at, warning,
         finish_reason, latency_ms, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, report_id) DO UPDATE SET status = excluded.status, error = excluded.error, warning = excluded.warning,
         raw_output = excluded.raw_output, prompt_tokens = excluded.prompt_tokens,
         completion_tokens = excluded.completion_tokens, finished_at = excluded.finished_at,
         finish_reason = excluded.finish_reason, latency_ms = excluded.latency_ms, attempts = excluded.attempts`
    ),
    hasFindings: db.prepare('SELECT 1 FROM findings WHERE source_id = ? AND report_id = ? LIMIT 1').pluck(),
    clearFindings: db.prepare('DELETE FROM findings WHERE source_id = ? AND report_id = ?'),
    addFinding: db.prepare('INSERT INTO findings (source_id, report_id, phrase, label_id, evidence_json) VALUES (?, ?, ?, ?, ?)'),
    /** One statement writes all labels of a report (one per label costs about twice as much). */
    labels(count: number): Statement {
      let st = labelRows.get(count)
      if (!st) labelRows.set(count, (st = db.prepare(`INSERT INTO source_labels ${LABEL_COLUMNS} VALUES ${Array(count).fill('(?, ?, ?, ?, ?, ?)').join(', ')} ${LABEL_UPSERT}`)))
      return st
    }
  }
}

/** Writes a chunk of engine results (labels, open findings, per-report status) in one transaction. */
export function commitResults(db: Db, sourceId: number, results: EngineResult[], labelIds: Map<string, number>): void {
  let st = statementCache.get(db)
  if (!st) statementCache.set(db, (st = prepareStatements(db)))
  const { markReport, hasFindings, clearFindings, addFinding } = st
  db.transaction(() => {
    const now = nowIso()
    for (const r of results) {
      if (!r.ok) {
        markReport.run(sourceId, r.reportId, 'failed', r.error, r.raw ?? null, null, null, now, null, ...metaArgs(r))
        continue
      }
      if (r.decisions.length) {
        const args: unknown[] = new Array(r.decisions.length * 6)
        r.decisions.forEach((d, k) => {
          const labelId = labelIds.get(d.label)
          if (labelId === undefined) throw new AppError('engine_failed', `The engine answered with unknown label "${d.label}".`)
          args[6 * k] = sourceId
          args[6 * k + 1] = r.reportId
          args[6 * k + 2] = labelId
          args[6 * k + 3] = d.state
          args[6 * k + 4] = d.evidence && d.evidence.length ? JSON.stringify(d.evidence) : null
          args[6 * k + 5] = d.rule ?? null
        })
        st.labels(r.decisions.length).run(...args)
      }
      // a report labelled again replaces its open findings (a lookup is cheaper than a delete that finds nothing)
      if (hasFindings.get(sourceId, r.reportId)) clearFindings.run(sourceId, r.reportId)
      for (const f of r.findings ?? []) {
        addFinding.run(sourceId, r.reportId, f.phrase, f.label ? (labelIds.get(f.label) ?? null) : null, JSON.stringify(f.evidence))
      }
      markReport.run(sourceId, r.reportId, 'done', null, r.raw ?? null, r.promptTokens ?? null, r.completionTokens ?? null, now, r.warning ?? null, ...metaArgs(r))
    }
  })()
}

/** finish_reason, latency_ms, attempts of an answer (server engine; null for engines that do not say). */
function metaArgs(r: EngineResult): [string | null, number | null, number | null] {
  return [r.meta?.finishReason ?? null, r.meta?.latencyMs ?? null, r.meta?.attempts ?? null]
}
