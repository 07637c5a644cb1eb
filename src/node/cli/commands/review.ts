// `radlabel review export`: the curated labels of a review set as CSV (the layout of `radlabel label`).
import type { Command } from 'commander'
import type { ReviewExportResult } from '../../../common/ipc/calls/review'
import { printJson, printLines } from '../output'
import { callOrThrow, withSession } from '../session'
import { requireWorkspace } from './eval'

export function registerReview(program: Command): void {
  const review = program.command('review').description('Review sets: export the curated (reviewed and adjudicated) labels.')
  review
    .command('export')
    .description('Curated labels of a review set as CSV: id column first, one column per label (1 / 0 / -1 / empty).')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--set <name>', 'review set (name or id)')
    .requiredOption('--out <file.csv>', 'CSV file to write')
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; set: string; out: string; force?: boolean; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const r = await callOrThrow<ReviewExportResult>(session, 'review.export', { setId: opts.set, path: opts.out, overwrite: opts.force ?? false })
        if (opts.json) printJson(r)
        else printLines([`Wrote ${r.rows} curated reports x ${r.columns.length - 1} labels of ${r.source} to ${r.path}.`])
        if (r.rows === 0) process.stderr.write('Note: no report of this set is settled yet (complete readings, and adjudicate disagreements).\n')
      })
    })
}
