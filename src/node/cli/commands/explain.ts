// `radlabel explain`: why the rules engine labelled a report as it did, per label: each mention, the
// trigger that governed it (category, direction, window), the scope that applied, and the decision.
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import { formatExplanation } from '../../../common/rules'
import { TEXT_SCOPES, type TextScope } from '../../../common/types'
import { describeHedging } from '../../engines/rules/engine'
import { explainRequest, type ExplainRequest } from '../../engines/rules/explain'
import type { Db } from '../../store/db'
import { printJson, printLines } from '../output'
import { withSession } from '../session'
import { requireWorkspace } from './eval'

interface ExplainOptions {
  labelSet?: string
  hedging?: string
  scope?: string
  db?: string
  report?: string
  run?: string
  label?: string
  json?: boolean
}

/** A report by numeric id or by its key (accession / external id as imported). */
function reportIdOf(db: Db, ref: string): number {
  const row = db.prepare('SELECT id FROM reports WHERE report_key = ? OR (? GLOB \'[0-9]*\' AND id = CAST(? AS INTEGER)) ORDER BY id = CAST(? AS INTEGER) DESC LIMIT 1').get(ref, ref, ref, ref) as
    | { id: number }
    | undefined
  if (!row) throw new AppError('not_found', `There is no report "${ref}" in this workspace.`, 'Give a report id or its key as imported (see `radlabel export` or the Reports page).')
  return row.id
}

export function registerExplain(program: Command): void {
  program
    .command('explain [text]')
    .description('Explain the rules engine\'s decision per label: mentions, governing triggers, scope, decision.')
    .option('--label-set <id>', 'label set: chexpert14, chestxray14, or (with --db) a custom slug, slug@version or id')
    .option('--hedging <mode>', 'all (every hedge is uncertain) or probable (only probable hedges); default: the label set\'s convention')
    .option('--scope <scope>', `sections to read: ${TEXT_SCOPES.join(', ')} (default findings_impression)`)
    .option('--db <path>', 'workspace database file (for --report, --run or a custom label set)')
    .option('--report <id>', 'explain a stored report (id or report key) instead of the text argument')
    .option('--run <source>', 'explain the report as this rules run labelled it (its label-set version, scope, hedging)')
    .option('--label <names>', 'only these labels (comma-separated)')
    .option('--json', 'print one JSON object')
    .action(async (text: string | undefined, opts: ExplainOptions) => {
      if (opts.hedging && opts.hedging !== 'all' && opts.hedging !== 'probable') {
        throw new AppError('invalid_input', `--hedging must be "all" or "probable", not "${opts.hedging}".`)
      }
      if (opts.scope && !(TEXT_SCOPES as readonly string[]).includes(opts.scope)) {
        throw new AppError('invalid_input', `--scope must be one of ${TEXT_SCOPES.join(', ')}, not "${opts.scope}".`)
      }
      if (text !== undefined && opts.report) throw new AppError('invalid_input', 'Give either the report text or --report ID, not both.')
      if ((opts.report || opts.run) && !opts.db) throw new AppError('invalid_input', '--report and --run need the workspace: add --db PATH.')
      if (!opts.labelSet && !opts.run) throw new AppError('invalid_input', 'Say which label set to explain with: --label-set chexpert14 (or --run SOURCE with --db).')
      const base: ExplainRequest = {
        ...(opts.labelSet ? { labelSet: opts.labelSet } : {}),
        ...(opts.hedging ? { hedging: opts.hedging as 'all' | 'probable' } : {}),
        ...(opts.scope ? { scope: opts.scope as TextScope } : {}),
        ...(text !== undefined ? { text } : {})
      }
      const labels = opts.label?.split(',').map((s) => s.trim()).filter(Boolean)
      const print = (db: Db | null): void => {
        const req: ExplainRequest = { ...base }
        if (db && opts.report) req.reportId = reportIdOf(db, opts.report)
        if (db && opts.run) {
          const row = db.prepare('SELECT id FROM sources WHERE id = CAST(? AS INTEGER) OR name = ? ORDER BY id DESC LIMIT 1').get(opts.run, opts.run) as { id: number } | undefined
          if (!row) throw new AppError('not_found', `There is no run "${opts.run}" in this workspace.`, 'See `radlabel sources --db PATH` for run ids and names.')
          req.sourceId = row.id
        }
        const e = explainRequest(db, req)
        if (labels?.length) {
          const unknown = labels.filter((l) => !e.labels.some((x) => x.label.toLowerCase() === l.toLowerCase()))
          if (unknown.length) throw new AppError('invalid_input', `No label ${unknown.map((u) => `"${u}"`).join(', ')} in ${e.labelSet}.`, `Labels: ${e.labels.map((l) => l.label).join(', ')}.`)
          e.labels = e.labels.filter((l) => labels.some((x) => x.toLowerCase() === l.label.toLowerCase()))
        }
        if (opts.json) return printJson(e)
        printLines([
          ...(e.reportId !== null ? [`report ${e.reportId}${e.reportKey ? ` (${e.reportKey})` : ''}${e.sourceId !== null ? `, as run ${e.sourceId} labelled it` : ''}`] : []),
          `hedging ${describeHedging(e.hedging)}`,
          formatExplanation(e, e.text)
        ])
      }
      if (opts.db) {
        requireWorkspace(opts.db)
        await withSession(opts.db, async (session) => print(session.ctx.workspace.db))
      } else print(null)
    })
}
