// `radlabel export labels|dataset|backup` and `radlabel restore`.
import { Option, type Command } from 'commander'
import { AppError } from '../../../common/errors'
import type { BackupResult, DatasetResult, LabelsCsvResult } from '../../../common/ipc/calls/export'
import { restoreWorkspace } from '../../export/backup'
import { openWorkspace } from '../../store/db'
import { printJson, printLines } from '../output'
import { callOrThrow, withSession } from '../session'
import { requireWorkspace } from './eval'

export function registerExport(program: Command): void {
  const exp = program.command('export').description('Export labels (CSV), an instruction-tuning dataset (JSONL) or a workspace backup.')

  exp
    .command('labels')
    .description('Labels of one source as CSV: CheXpert/MIMIC layout (1 / 0 / -1 / empty) or binary (1 / 0).')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--source <source>', 'label source (name or id)')
    .requiredOption('--out <file>', 'CSV file to write')
    .addOption(new Option('--format <format>', 'value layout').choices(['chexpert', 'binary']).default('chexpert'))
    .addOption(new Option('--uncertain-as <state>', 'binary only: what uncertain becomes').choices(['positive', 'negative']).default('positive'))
    .option('--include-text', 'add the report text as a "Reports" column (the file then contains patient data)')
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; source: string; out: string; format: 'chexpert' | 'binary'; uncertainAs: 'positive' | 'negative'; includeText?: boolean; force?: boolean; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const r = (await callOrThrow<LabelsCsvResult>(session, 'export.labels', {
          source: opts.source,
          format: opts.format,
          uncertainAs: opts.uncertainAs,
          includeText: opts.includeText ?? false,
          path: opts.out,
          overwrite: opts.force ?? false
        }))!
        if (opts.includeText) process.stderr.write('Note: the CSV contains report text (patient data). Keep it on this machine.\n')
        if (opts.json) printJson(r)
        else printLines([`Wrote ${r.rows} reports x ${r.columns.length} columns of ${r.source} to ${r.path} (${opts.format}).`])
      }, { allowReadOnly: true })
    })

  exp
    .command('dataset')
    .description('Instruction-tuning JSONL (open-ended detection + classification tasks) from a source, split into train/validation by report.')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--source <source>', 'label source to learn from (name or id): weak labels or curated')
    .requiredOption('--out <base>', 'output base: BASE.train.jsonl, BASE.validation.jsonl and BASE.README.txt')
    .addOption(new Option('--style <style>', 'record layout').choices(['alpaca', 'chat']).default('alpaca'))
    .option('--tasks <list>', 'comma-separated tasks: open, classify', 'open,classify')
    .option('--validation <fraction>', 'share of reports in validation (0 to 0.5)', '0.1')
    .option('--salt <text>', 'split salt (same salt, same split)')
    .option('--force', 'overwrite existing files')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; source: string; out: string; style: 'alpaca' | 'chat'; tasks: string; validation: string; salt?: string; force?: boolean; json?: boolean }) => {
      requireWorkspace(opts.db)
      const fraction = Number(opts.validation)
      if (!Number.isFinite(fraction)) throw new AppError('invalid_input', `--validation must be a number, got "${opts.validation}".`)
      await withSession(opts.db, async (session) => {
        const r = (await callOrThrow<DatasetResult>(session, 'export.dataset', {
          source: opts.source,
          style: opts.style,
          tasks: opts.tasks.split(',').map((t) => t.trim()).filter(Boolean),
          validationFraction: fraction,
          splitSalt: opts.salt,
          path: opts.out,
          overwrite: opts.force ?? false
        }))!
        // the patient-data warning once: on stderr (stdout is JSON) with --json, else with the summary
        if (opts.json) {
          process.stderr.write(`${r.warning}\n`)
          printJson(r)
        } else
          printLines([
            r.warning,
            `Train: ${r.reports.train} reports, ${r.examples.train} examples -> ${r.files.train}`,
            `Validation: ${r.reports.validation} reports, ${r.examples.validation} examples -> ${r.files.validation}`,
            `README: ${r.files.readme}`
          ])
      }, { allowReadOnly: true })
    })

  exp
    .command('backup')
    .description('Back up the workspace database (SQLite online backup; safe while the app is running).')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--out <file>', 'backup file to write')
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; out: string; force?: boolean; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const r = (await callOrThrow<BackupResult>(session, 'export.backup', { path: opts.out, overwrite: opts.force ?? false }))!
        if (opts.json) printJson(r)
        else printLines([`Backup written: ${r.path} (${(r.bytes / 1e6).toFixed(1)} MB, schema ${r.schemaVersion}, ${r.reports} reports, ${r.sources} label sources). It contains report text: store it like the reports.`])
      }, { allowReadOnly: true })
    })

  program
    .command('restore')
    .description('Restore a backup into a workspace file (checked first; an existing file is kept as a .before-restore copy with --replace).')
    .requiredOption('--from <backup>', 'backup file made by `radlabel export backup`')
    .requiredOption('--db <path>', 'workspace database file to restore into')
    .option('--replace', 'replace an existing workspace file (it is moved aside, not deleted)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { from: string; db: string; replace?: boolean; json?: boolean }) => {
      const r = await restoreWorkspace(opts.from, opts.db, { replace: opts.replace ?? false })
      // Opening migrates an older schema and proves the result is usable.
      const ws = openWorkspace(r.target)
      ws.close()
      if (opts.json) printJson(r)
      else
        printLines([
          `Restored ${r.path} into ${r.target} (${r.reports} reports, ${r.sources} label sources, schema ${r.schemaVersion}).`,
          ...(r.previous ? [`The previous workspace file was kept as ${r.previous}.`] : [])
        ])
    })
}
