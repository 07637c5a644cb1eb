// `radlabel detect`: label every report of a workspace (or some import batches) with an engine, as a
// stored, resumable run. Engine flags become the engine's config (see engine-flags.ts).
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import type { JobSnapshot } from '../../../common/types'
import { probeLines, probeRun, type ProbeInput } from '../../engines/probe'
import { createRun, getRun, RUN_JOB_KIND, type RunInfo } from '../../engines/run'
import { describeHedging } from '../../engines/rules/engine'
import { describeScope } from '../../engines/scope'
import type { Db } from '../../store/db'
import { printJson, printLines, progressPrinter } from '../output'
import { runJobInForeground, withSession } from '../session'
import { addEngineFlags, engineConfig, type EngineFlags } from './engine-flags'
import { requireWorkspace } from './eval'
import { addScopeFlags, scopeFromFlags, type ScopeFlags } from './scope-flags'

interface DetectOptions extends EngineFlags, ScopeFlags {
  db: string
  labelSet: string
  runName?: string
  probe?: string
  json?: boolean
}

/** Reports per label that the run found positive or uncertain (label-set order). */
export function runPositives(db: Db, sourceId: number): { label: string; positive: number; uncertain: number; negative: number }[] {
  return db
    .prepare(
      `SELECT l.name AS label,
              count(*) FILTER (WHERE sl.state = 'positive') AS positive,
              count(*) FILTER (WHERE sl.state = 'uncertain') AS uncertain,
              count(*) FILTER (WHERE sl.state = 'negative') AS negative
       FROM labels l JOIN sources s ON s.label_set_id = l.label_set_id
       LEFT JOIN source_labels sl ON sl.source_id = s.id AND sl.label_id = l.id
       WHERE s.id = ? GROUP BY l.id ORDER BY l.ord`
    )
    .all(sourceId) as { label: string; positive: number; uncertain: number; negative: number }[]
}

export function runSummaryLines(run: RunInfo, counts: ReturnType<typeof runPositives>): string[] {
  return [
    `Run "${run.name}" (source ${run.sourceId}): ${run.status}, ${run.reportsDone}/${run.reportsTotal} reports labelled` +
      `${run.reportsFailed ? `, ${run.reportsFailed} failed` : ''}, ${(run.wallMs / 1000).toFixed(1)} s.`,
    ...(run.reportsWarned
      ? [
          `Warning: ${run.reportsWarned} report(s) had no findings or impression text in the scope ` +
            `"${String(run.config.scope ?? 'findings_impression')}" (each is listed with its warning in the run); ` +
            'check their sections (radlabel import-sections) or use --scope whole.'
        ]
      : []),
    `Engine ${run.engine}, label set ${run.labelSetSlug}@${run.labelSetVersion}, settings ${JSON.stringify(run.config)}.`,
    ...(run.engine === 'rules' && typeof run.provenance.hedging === 'string'
      ? [`Hedging ${describeHedging(run.provenance.hedging as 'all' | 'probable')}.`]
      : []),
    'label                         positive  uncertain  negative',
    ...counts.map(
      (c) => `${c.label.padEnd(28)} ${String(c.positive).padStart(9)} ${String(c.uncertain).padStart(10)} ${String(c.negative).padStart(9)}`
    )
  ]
}

async function probeCommand(db: Db, input: ProbeInput, json?: boolean): Promise<void> {
  if (!Number.isInteger(input.reports) || input.reports! < 1 || input.reports! > 100) {
    throw new AppError('invalid_input', '--probe needs a number of reports from 1 to 100.')
  }
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  try {
    const printer = progressPrinter('probe')
    const estimate = await probeRun(db, input, {
      signal: controller.signal,
      report: (p) => printer({ status: 'running', progress: { done: 0, total: null, unit: 'reports', ...p } } as JobSnapshot)
    })
    if (json) printJson({ probe: estimate })
    else printLines(probeLines(estimate))
  } finally {
    process.off('SIGINT', onSigint)
  }
}

export function registerDetect(program: Command): void {
  const cmd = program
    .command('detect')
    .description('Label the reports of a workspace with an engine (a stored, resumable run).')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--label-set <id>', 'label set: slug (newest version), slug@version or id, e.g. chexpert14')
    .option('--run-name <name>', 'name of the run (default: engine, label set and time)')
    .option('--probe <n>', 'label only N reports spread over the scope, store nothing, and print an estimate of the full run')
    .option('--json', 'print one JSON object')
  addEngineFlags(addScopeFlags(cmd)).action(async (opts: DetectOptions) => {
    requireWorkspace(opts.db)
    const scope = scopeFromFlags(opts)
    await withSession(opts.db, async (session) => {
      const { db } = session.ctx.workspace
      const config = await engineConfig(opts, db)
      if (opts.probe !== undefined) {
        await probeCommand(db, { engine: opts.engine, labelSet: opts.labelSet, config, scope, reports: Number(opts.probe) }, opts.json)
        return
      }
      const run = createRun(db, {
        engine: opts.engine,
        labelSet: opts.labelSet,
        config,
        name: opts.runName,
        scope,
        actor: 'cli'
      })
      process.stderr.write(`Scope: ${describeScope(run.scope, run.reportsTotal)}.\n`)
      await runJobInForeground(session, RUN_JOB_KIND, `detect ${run.name}`, { sourceId: run.sourceId })
      const final = getRun(db, run.sourceId)
      const counts = runPositives(db, run.sourceId)
      if (opts.json) printJson({ run: final, labels: counts })
      else printLines(runSummaryLines(final, counts))
      if (final.reportsFailed > 0) {
        process.stderr.write(
          `radlabel: ${final.reportsFailed} report(s) failed; see them in the app (Detect, status "failed") and label them again with "Re-run failed".\n`
        )
        process.exitCode = 2
      }
    })
  })
}
