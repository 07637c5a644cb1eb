// `radlabel sources delete ID|NAME --yes`: deletes a run, imported labels or curated labels. Without
// --yes it only says what would be deleted. The audit log keeps the record (`action source.delete`).
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import type { SourceDeletionPlan } from '../../../common/ipc/calls/sources'
import { deleteSource, deletionPlan } from '../../sources/delete'
import { printJson, printLines } from '../output'
import { withSession } from '../session'
import { requireWorkspace } from './eval'

function planLines(p: SourceDeletionPlan): string[] {
  return [
    `Source ${p.id} "${p.name}" (${p.kind}${p.run ? `, ${p.run.engine} run, ${p.run.status}` : ''}, label set ${p.labelSet}): ` +
      `${p.labels.toLocaleString('en')} labels on ${p.reports.toLocaleString('en')} reports${p.findings ? `, ${p.findings.toLocaleString('en')} open findings` : ''}.`,
    ...p.warnings.map((w) => `Note: ${w}`)
  ]
}

/** The `sources` command, created here if the listing module has not created it yet (order-free). */
export function sourcesCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'sources') ?? program.command('sources').description('Label sources: runs, imported labels, curated labels.')
}

export function registerSourcesDelete(program: Command): void {
  sourcesCommand(program)
    .command('delete <source>')
    .description('Delete a label source (a run, imported or curated labels) by id or name; needs --yes. The audit log keeps the record.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--yes', 'confirm the deletion (without it, only print what would be deleted)')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, opts: { db: string; yes?: boolean; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const { db } = session.ctx.workspace
        const plan = deletionPlan(db, ref)
        if (!opts.yes) {
          if (opts.json) printJson({ deleted: false, plan })
          else printLines([...planLines(plan), `Nothing was deleted. To delete it: radlabel sources delete ${plan.id} --db ${opts.db} --yes`])
          if (plan.blocked) throw new AppError('conflict', plan.blocked)
          process.exitCode = 2
          return
        }
        const started = Date.now()
        const deleted = await deleteSource(db, plan.id, {
          actor: 'cli',
          between: () => new Promise((r) => setImmediate(r)),
          onProgress: (rows) => process.stderr.isTTY && process.stderr.write(`\rdeleting: ${rows.toLocaleString('en')} rows`)
        })
        if (process.stderr.isTTY) process.stderr.write('\n')
        if (opts.json) printJson({ deleted: true, plan: deleted, ms: Date.now() - started })
        else printLines([...planLines(deleted), `Deleted in ${((Date.now() - started) / 1000).toFixed(1)} s; the audit log keeps the record.`])
      })
    })
}
