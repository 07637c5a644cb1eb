// `radlabel sources`: every set of labels in a workspace (engine runs, imported reference labels, curated
// review labels) with the id and name that other commands accept (eval --pred/--ref, export, review create).
import type { Command } from 'commander'
import { listSources, type SourceInfo } from '../../store/repos/sources'
import { printJson, printLines } from '../output'
import { withSession } from '../session'
import { requireWorkspace } from './eval'
import { sourcesCommand } from './sources-delete'

/** A source as the CLI prints it. */
export function sourceRow(s: SourceInfo) {
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    labelSet: s.labelSetSlug,
    labelSetVersion: s.labelSetVersion,
    reports: s.reportCount,
    complete: s.complete,
    createdAt: s.createdAt
  }
}

export function registerSources(program: Command): void {
  const sources = sourcesCommand(program).description('Label sources of a workspace: runs, imported labels, curated review labels (list, delete).')
  sources
    .command('list', { isDefault: true })
    .description('List the sources: id, kind, name, label set and version, reports covered, complete or not, created.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const rows = listSources(session.ctx.workspace.db).map(sourceRow)
        if (opts.json) return printJson({ sources: rows })
        if (!rows.length) return printLines(['No sources yet. Label reports (radlabel detect / label --db) or import labels (radlabel import-labels).'])
        const table = [
          ['id', 'kind', 'name', 'label set', 'reports', 'complete', 'created'],
          ...rows.map((r) => [String(r.id), r.kind, r.name, `${r.labelSet}@${r.labelSetVersion}`, String(r.reports), r.complete ? 'yes' : 'NO', r.createdAt.slice(0, 16).replace('T', ' ')])
        ]
        const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)))
        printLines([
          ...table.map((row) => row.map((cell, c) => (c === 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()),
          '',
          'Name a source by its id or its exact name (eval --pred/--ref, export labels --source, review create --sources).'
        ])
      })
    })
}
