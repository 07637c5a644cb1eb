// `radlabel labelsets`: list label sets; `labelsets show ID`; `labelsets import FILE.json`.
import type { Command } from 'commander'
import { labelSetDetail, listLabelSetSummaries, importLabelSetFile } from '../../services/labelsets'
import { printJson, printLines } from '../output'
import { withSession } from '../session'
import { requireWorkspace } from './eval'
import { BUILTIN_LABEL_SETS } from '../../../common/labelsets'

export function registerLabelsets(program: Command): void {
  const cmd = program.command('labelsets').description('List, show and import label sets (built-in and custom, versioned).')
  cmd
    .command('list', { isDefault: true })
    .description('List label sets (the built-ins without --db; a workspace also has its custom sets).')
    .option('--db <path>', 'workspace database file')
    .option('--all-versions', 'list every version, not only the newest')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db?: string; allVersions?: boolean; json?: boolean }) => {
      if (!opts.db) {
        const sets = BUILTIN_LABEL_SETS.map((s) => ({ slug: s.slug, version: 1, name: s.name, builtin: true, labels: s.labels.map((l) => l.name) }))
        if (opts.json) return printJson({ labelSets: sets })
        return printLines(sets.flatMap((s) => [`${s.slug}  (built-in) ${s.name}`, `    ${s.labels.join(', ')}`]))
      }
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const list = listLabelSetSummaries(session.ctx.workspace.db, opts.allVersions)
        if (opts.json) return printJson({ labelSets: list })
        printLines(
          list.map(
            (s) =>
              `${`${s.slug}@${s.version}`.padEnd(24)} ${s.builtin ? '(built-in)' : '(custom)  '} ${String(s.labelCount).padStart(3)} labels  ${s.name}` +
              (s.sourceCount ? `  · used by ${s.sourceCount} source(s)` : '')
          )
        )
      })
    })
  cmd
    .command('show <ref>')
    .description('Show one label set: slug, slug@version or id (the built-ins without --db, like list).')
    .option('--db <path>', 'workspace database file (for its custom label sets)')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, opts: { db?: string; json?: boolean }) => {
      if (opts.db) requireWorkspace(opts.db)
      // without --db an in-memory workspace holds exactly the built-in sets
      await withSession(opts.db ?? ':memory:', async (session) => {
        const d = labelSetDetail(session.ctx.workspace.db, ref)
        if (opts.json) return printJson(d)
        printLines([
          `${d.slug}@${d.version} ${d.builtin ? '(built-in)' : '(custom)'}: ${d.name}`,
          ...(d.description ? [d.description] : []),
          `versions: ${d.versions.map((v) => v.version).join(', ')}`,
          ...d.definition.labels.map(
            (l) => `  ${l.name}${l.description ? ` — ${l.description}` : ''}${l.terms?.length ? `  [terms: ${l.terms.join(', ')}]` : ''}`
          )
        ])
      })
    })
  cmd
    .command('import <file>')
    .description('Save a custom label set from a JSON file; a changed definition becomes a new version.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { db: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const d = await importLabelSetFile(session.ctx.workspace.db, file)
        if (opts.json) return printJson(d)
        printLines([`Saved ${d.slug}@${d.version} (${d.labels.length} labels).`])
      })
    })
}
