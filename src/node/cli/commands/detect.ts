// `radlabel detect`: label every report of a workspace (or some import batches) with an engine, as a
// stored, resumable run. Engine flags become the engine's config (see engine-flags.ts).
import type { Command } from 'commander'
import { createRun, getRun, RUN_JOB_KIND, type RunInfo } from '../../engines/run'
import type { Db } from '../../store/db'
import { printJson, printLines } from '../output'
import { runJobInForeground, withSession } from '../session'
import { addEngineFlags, engineConfig, type EngineFlags } from './engine-flags'
import { requireWorkspace } from './eval'

interface DetectOptions extends EngineFlags {
  db: string
  labelSet: string
  runName?: string
  batch?: string[]
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
    `Engine ${run.engine}, label set ${run.labelSetSlug}@${run.labelSetVersion}, settings ${JSON.stringify(run.config)}.`,
    'label                         positive  uncertain  negative',
    ...counts.map(
      (c) => `${c.label.padEnd(28)} ${String(c.positive).padStart(9)} ${String(c.uncertain).padStart(10)} ${String(c.negative).padStart(9)}`
    )
  ]
}

export function registerDetect(program: Command): void {
  const cmd = program
    .command('detect')
    .description('Label the reports of a workspace with an engine (a stored, resumable run).')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--label-set <id>', 'label set: slug (newest version), slug@version or id, e.g. chexpert14')
    .option('--run-name <name>', 'name of the run (default: engine, label set and time)')
    .option('--batch <id...>', 'only the reports of these import batches')
    .option('--json', 'print one JSON object')
  addEngineFlags(cmd).action(async (opts: DetectOptions) => {
    requireWorkspace(opts.db)
    await withSession(opts.db, async (session) => {
      const { db } = session.ctx.workspace
      const config = await engineConfig(opts, db)
      const batchIds = (opts.batch ?? []).map(Number).filter((n) => Number.isInteger(n) && n > 0)
      const run = createRun(db, {
        engine: opts.engine,
        labelSet: opts.labelSet,
        config,
        name: opts.runName,
        scope: batchIds.length ? { batchIds } : {},
        actor: 'cli'
      })
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
