import type { Command } from 'commander'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../common/errors'
import { DEMO_GOLD_SOURCE, seedDemo } from '../../demo/seed'
import { evaluateSources } from '../../eval/evaluate-sources'
import { engines } from '../../engines/registry'
import { createRun, RUN_JOB_KIND } from '../../engines/run'
import { countReports } from '../../store/repos/reports'
import { printJson, printLines } from '../output'
import { runJobInForeground, withSession } from '../session'

interface DemoSummary {
  workspace: string
  reports: number
  runs: {
    engine: string
    source: string
    status: string
    reportsDone: number
    positives: Record<string, number>
    /** Against the demo's reference labels, uncertain counted as positive. */
    microF1: number | null
    macroF1: number | null
  }[]
  skippedEngines: { engine: string; reason: string }[]
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Create a workspace from the built-in synthetic demo reports, run the rules engine on them and print a summary (the LLM engine is skipped: it needs a model file; so is any engine that needs settings, e.g. a server address).')
    .option('--db <path>', 'workspace database file (default: a new temporary folder)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const dbPath = opts.db ?? join(mkdtempSync(join(tmpdir(), 'radlabel-demo-')), 'demo.db')
      await withSession(dbPath, async (session) => {
        const { db } = session.ctx.workspace
        if (countReports(db) > 0) {
          throw new AppError('conflict', `Workspace ${dbPath} already has reports.`, 'Give --db a new file, or omit it.')
        }
        const seeded = seedDemo(db)
        const summary: DemoSummary = { workspace: session.ctx.workspace.path, reports: seeded.reports, runs: [], skippedEngines: [] }
        for (const engine of Object.values(engines)) {
          if (engine.name === 'llm') {
            summary.skippedEngines.push({ engine: 'llm', reason: 'needs a GGUF model: radlabel detect --engine llm --model FILE.gguf' })
            continue
          }
          if (!engine.configSchema.safeParse({}).success) {
            // engines that cannot run without settings (a server's address, a model) are skipped, saying so
            summary.skippedEngines.push({ engine: engine.name, reason: `needs settings: see radlabel detect --help (--engine ${engine.name})` })
            continue
          }
          const run = createRun(db, { engine: engine.name, labelSet: 'chexpert14', config: {}, actor: 'demo' })
          const job = await runJobInForeground(session, RUN_JOB_KIND, `demo: ${engine.name}`, { sourceId: run.sourceId })
          const positives = Object.fromEntries(
            (
              db
                .prepare(
                  `SELECT l.name, count(*) AS n FROM source_labels sl JOIN labels l ON l.id = sl.label_id
                   WHERE sl.source_id = ? AND sl.state IN ('positive','uncertain') GROUP BY l.name ORDER BY l.ord`
                )
                .all(run.sourceId) as { name: string; n: number }[]
            ).map((r) => [r.name, r.n])
          )
          const ev = evaluateSources(db, { pred: [run.sourceId], ref: DEMO_GOLD_SOURCE, uncertain: 'positive', resamples: 200, seed: 1 })
          const result = ev.comparison.results[0]
          summary.runs.push({
            engine: engine.name,
            source: run.name,
            status: job.status,
            reportsDone: job.progress.done,
            positives,
            microF1: result.micro.f1,
            macroF1: result.macro.f1
          })
        }
        if (opts.json) return printJson(summary)
        const lines = [`Demo workspace: ${summary.workspace}`, `Imported ${summary.reports} synthetic reports with reference labels ("demo gold").`]
        if (summary.skippedEngines.length) lines.push(`Engines run: ${summary.runs.map((r) => r.engine).join(', ') || 'none'}; skipped: ${summary.skippedEngines.map((s) => s.engine).join(', ')} (see below).`)
        if (!summary.runs.length) lines.push('No engine is available yet.')
        for (const r of summary.runs) {
          lines.push(`Engine ${r.engine}: ${r.status}, ${r.reportsDone} reports labelled (source "${r.source}").`)
          lines.push(`  against "${DEMO_GOLD_SOURCE}": micro-F1 ${fmt(r.microF1)}, macro-F1 ${fmt(r.macroF1)} (uncertain counted as positive)`)
          for (const [label, n] of Object.entries(r.positives)) lines.push(`  ${label.padEnd(28)} ${n} positive or uncertain`)
        }
        for (const s of summary.skippedEngines) lines.push(`Skipped ${s.engine}: ${s.reason}`)
        printLines(lines)
      })
    })
}

const fmt = (x: number | null): string => (x == null ? 'n/a' : x.toFixed(3))
