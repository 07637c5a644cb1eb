// A probe: labels a few reports of a scope with the run's exact engine settings, stores nothing, and
// estimates how long the full run would take, before the user commits a GPU (or a server) to it.
// The probed reports are spread evenly over the scope, so that report length is represented.
import { AppError } from '../../common/errors'
import { formatDuration } from '../../common/format'
import type { ProbeEstimate, RunScope } from '../../common/ipc/calls/detect'
import type { JobContext } from '../jobs/jobManager'
import type { Db } from '../store/db'
import { findLabelSet, getLabelSet } from '../store/repos/labelSets'
import { emptyScopeError, parseEngineConfig } from './run'
import { resolveScope } from './scope'
import type { EngineReport, EngineResult } from './types'

export interface ProbeInput {
  engine: string
  labelSet: string | number
  config: unknown
  scope?: RunScope
  /** How many reports to label (default 5). */
  reports?: number
}

export const PROBE_JOB_KIND = 'detect-probe'

/** `count` ids spread evenly over `ids` (all of them when there are fewer). */
export function spread(ids: readonly number[], count: number): number[] {
  if (ids.length <= count) return [...ids]
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(ids[Math.floor(((i + 0.5) * ids.length) / count)]!)
  return out
}

export async function probeRun(
  db: Db,
  input: ProbeInput,
  ctx: { signal: AbortSignal; report?: JobContext['report']; now?: () => number }
): Promise<ProbeEstimate> {
  const now = ctx.now ?? Date.now
  const report = ctx.report ?? (() => {})
  const { engine, config } = parseEngineConfig(input.engine, input.config)
  const stored = getLabelSet(db, findLabelSet(db, input.labelSet).id)
  const scope = resolveScope(db, input.scope)
  if (scope.total === 0) throw emptyScopeError(db, scope)
  const scopeIds =
    scope.ids ??
    (db
      .prepare(`SELECT r.id FROM reports r ${scope.stored.batchIds?.length ? `WHERE r.batch_id IN (${scope.stored.batchIds.map(() => '?').join(',')})` : ''} ORDER BY r.id`)
      .pluck()
      .all(...(scope.stored.batchIds ?? [])) as number[])
  const ids = spread(scopeIds, Math.max(1, input.reports ?? 5))
  const read = db.prepare('SELECT id, text, sections_json FROM reports WHERE id = ?')
  const batch: EngineReport[] = ids.map((id) => {
    const r = read.get(id) as { id: number; text: string; sections_json: string }
    return { id: r.id, text: r.text, sections: JSON.parse(r.sections_json) }
  })

  report({ done: 0, total: batch.length, unit: 'reports', message: `Loading the ${engine.name} engine` })
  const opened = now()
  const session = await engine.open(config, { ...stored.definition, version: stored.version }, (message) => report({ message }))
  const openSeconds = (now() - opened) / 1000
  const results: EngineResult[] = []
  let labelSeconds: number
  try {
    // the same chunking as the run, so parallel sequences or server slots are used as they would be
    const chunk = engine.batchSize?.(config) ?? 256
    const started = now()
    for (let i = 0; i < batch.length; i += chunk) {
      if (ctx.signal.aborted) throw new AppError('cancelled', 'The probe was cancelled.')
      const part = await session.label(batch.slice(i, i + chunk), ctx.signal)
      results.push(...part)
      report({ done: results.length, total: batch.length, unit: 'reports', message: undefined })
    }
    labelSeconds = Math.max(0.001, (now() - started) / 1000)
  } finally {
    await session.close().catch(() => {})
  }
  const ok = results.filter((r): r is Extract<EngineResult, { ok: true }> => r.ok)
  const sum = (f: (r: (typeof ok)[number]) => number | undefined): number => ok.reduce((a, r) => a + (f(r) ?? 0), 0)
  const completion = sum((r) => r.completionTokens)
  const prompt = sum((r) => r.promptTokens)
  const reportsPerSecond = results.length / labelSeconds
  return {
    total: scope.total,
    probed: results.length,
    failed: results.length - ok.length,
    errors: results.flatMap((r) => (r.ok ? [] : [r.error])).slice(0, 3),
    openSeconds: round(openSeconds),
    labelSeconds: round(labelSeconds),
    reportsPerSecond: round(reportsPerSecond, 3),
    tokensPerSecond: completion ? round(completion / labelSeconds) : null,
    promptTokensPerReport: ok.length && prompt ? Math.round(prompt / ok.length) : null,
    completionTokensPerReport: ok.length && completion ? Math.round(completion / ok.length) : null,
    estimateSeconds: round(openSeconds + scope.total / reportsPerSecond)
  }
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits

/** Plain-language lines for the CLI (the UI shows the same numbers). */
export function probeLines(e: ProbeEstimate): string[] {
  const lines = [
    `Probe: ${e.probed} report(s) labelled in ${e.labelSeconds.toFixed(1)} s after ${e.openSeconds.toFixed(1)} s loading: ` +
      `${e.reportsPerSecond.toFixed(2)} reports/s${e.tokensPerSecond !== null ? `, ${e.tokensPerSecond.toFixed(0)} tokens/s` : ''}` +
      `${e.completionTokensPerReport !== null ? `, ${e.completionTokensPerReport} answer tokens per report` : ''}.`,
    `Estimate for all ${e.total.toLocaleString('en')} report(s) in scope: about ${formatDuration(e.estimateSeconds)}.`
  ]
  if (e.failed) lines.push(`${e.failed} of ${e.probed} probe report(s) failed, e.g.: ${e.errors[0]}`)
  return lines
}
