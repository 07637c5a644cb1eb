// `radlabel review create | list | export`: make review sets as the Review page does (same call), list
// them with each set's progress, and export the curated labels of a set as CSV (the layout of `radlabel label`).
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import { DISAGREEMENT_RULES, DISAGREEMENT_RULE_TEXT, type DisagreementRule, type ReviewExportResult, type ReviewSetSummary, type Sampling } from '../../../common/ipc/calls/review'
import type { Db } from '../../store/db'
import { findSource } from '../../store/repos/sources'
import { printJson, printLines } from '../output'
import { callOrThrow, withSession } from '../session'
import { requireWorkspace } from './eval'

export function registerReview(program: Command): void {
  const review = program.command('review').description('Review sets: create and list them, export their curated (reviewed and adjudicated) labels.')
  registerCreate(review)
  registerList(review)
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

const STRATEGIES: Record<string, Sampling['strategy']> = {
  random: 'random',
  stratified: 'stratified',
  disagreements: 'disagreement',
  disagreement: 'disagreement',
  all: 'all'
}

interface CreateOptions {
  db: string
  name: string
  strategy: string
  size: string
  seed?: string
  sources?: string
  readers: string
  assisted?: string
  labelSet?: string
  disagreementRule?: string
  json?: boolean
}

const positiveInt = (flag: string, v: string, max: number): number => {
  const n = Number(v)
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > max) throw new AppError('invalid_input', `${flag} must be a whole number from 1 to ${max} (got "${v}").`)
  return n
}

/** The reports of a set in review order, by their own ids as imported (else their content key). */
function setReportIds(db: Db, setId: number): string[] {
  return db
    .prepare('SELECT coalesce(r.external_id, r.report_key) FROM review_items ri JOIN reports r ON r.id = ri.report_id WHERE ri.set_id = ? ORDER BY ri.ord')
    .pluck()
    .all(setId) as string[]
}

function registerCreate(review: Command): void {
  review
    .command('create')
    .description(
      'Create a review set, as the Review page does: sample reports (random, stratified by a source\'s predicted labels,\n' +
        'disagreements between two sources first, or all) for single or double reading, blinded or assisted.'
    )
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--name <name>', 'name of the set')
    .requiredOption('--strategy <strategy>', 'random | stratified | disagreements | all')
    .option('--size <n>', 'number of reports', '100')
    .option('--seed <s>', 'sampling seed (same seed, same sample)')
    .option('--sources <a,b>', 'stratified: the source whose labels form the strata; disagreements: the two sources compared (ids or names)')
    .option('--readers <1|2>', 'readers per report (2: double reading with adjudication)', '1')
    .option('--assisted <source>', 'pre-fill the labels from this source (id or name); default: blinded')
    .option(
      '--disagreement-rule <rule>',
      `disagreements: what counts as disagreeing: ${DISAGREEMENT_RULES.map((r) => `${r} (${DISAGREEMENT_RULE_TEXT[r]})`).join('; ')}; default presence`
    )
    .option('--label-set <id>', 'label set to review (default: that of --assisted or of the first --sources, else chexpert14)')
    .option('--json', 'print the set and its reports\' own ids, in review order')
    .action(async (opts: CreateOptions) => {
      requireWorkspace(opts.db)
      const strategy = STRATEGIES[opts.strategy.trim().toLowerCase()]
      if (!strategy) throw new AppError('invalid_input', `--strategy must be random, stratified, disagreements or all (got "${opts.strategy}").`)
      const size = positiveInt('--size', opts.size, 100_000)
      const readers = opts.readers === '1' || opts.readers === '2' ? Number(opts.readers) : undefined
      if (!readers) throw new AppError('invalid_input', `--readers must be 1 or 2 (got "${opts.readers}").`)
      await withSession(opts.db, async (session) => {
        const { db } = session.ctx.workspace
        const named = (opts.sources ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((ref) => findSource(db, ref))
        const sampling: Record<string, unknown> = { strategy, size }
        if (opts.seed !== undefined) sampling.seed = Number(opts.seed)
        if (strategy === 'stratified') {
          if (named.length !== 1) throw new AppError('invalid_input', '--strategy stratified needs --sources with one source: the one whose predicted labels form the strata.', 'List sources with: radlabel sources --db PATH')
          sampling.stratifySourceId = named[0].id
        } else if (strategy === 'disagreement') {
          if (named.length !== 2) throw new AppError('invalid_input', '--strategy disagreements needs --sources with the two sources to compare, e.g. --sources 3,5.', 'List sources with: radlabel sources --db PATH')
          sampling.compareSourceIds = [named[0].id, named[1].id]
          if (opts.disagreementRule) {
            if (!(DISAGREEMENT_RULES as readonly string[]).includes(opts.disagreementRule)) {
              throw new AppError('invalid_input', `--disagreement-rule must be ${DISAGREEMENT_RULES.join(', ')} (got "${opts.disagreementRule}").`)
            }
            sampling.disagreementRule = opts.disagreementRule
          }
        }
        if (opts.disagreementRule && strategy !== 'disagreement') throw new AppError('invalid_input', '--disagreement-rule applies to --strategy disagreements only.')
        if (strategy !== 'stratified' && strategy !== 'disagreement' && named.length) {
          throw new AppError('invalid_input', `--sources does not apply to --strategy ${opts.strategy}.`, 'Use it with stratified (one source) or disagreements (two).')
        }
        const assist = opts.assisted ? findSource(db, opts.assisted) : undefined
        const labelSet = opts.labelSet ?? (assist ? assist.labelSetId : named[0]?.labelSetId) ?? 'chexpert14'
        const set = await callOrThrow<ReviewSetSummary>(session, 'review.sets.create', {
          name: opts.name,
          labelSet,
          sampling,
          mode: assist ? 'assisted' : 'blinded',
          assistSourceId: assist?.id,
          readersPerReport: readers
        })
        const reports = setReportIds(db, set.id)
        if (opts.json) return printJson({ ...set, reports })
        printLines([
          `Review set "${set.name}" (id ${set.id}): ${set.size} reports, ${set.labelSetName}, ${strategy} sampling, ` +
            `${set.readersPerReport === 2 ? 'double reading with adjudication' : 'single reading'}, ${set.mode}${set.assistSourceName ? ` (pre-filled from "${set.assistSourceName}")` : ''}.`,
          `Curated labels will go to the source "${set.curatedSourceName}". Review it on the Review page of the app; export with: radlabel review export --db ${opts.db} --set ${set.id} --out FILE.csv`,
          `First reports: ${reports.slice(0, 10).join(', ')}${reports.length > 10 ? ', ...' : ''}`
        ])
        if (set.size < size && strategy !== 'all') process.stderr.write(`radlabel: only ${set.size} reports matched (asked for ${size}).\n`)
      })
    })
}

function registerList(review: Command): void {
  review
    .command('list')
    .description('List review sets with their progress: reports fully read and curated.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const sets = await callOrThrow<ReviewSetSummary[]>(session, 'review.sets.list', {})
        if (opts.json) return printJson({ reviewSets: sets })
        if (!sets.length) return printLines(['No review sets yet. Create one with: radlabel review create --db PATH --name NAME --strategy random --size 50'])
        printLines(
          sets.map(
            (s) =>
              `${String(s.id).padStart(4)}  ${s.name}  ·  ${s.labelSetName}, ${s.sampling.strategy}, ${s.readersPerReport === 2 ? 'double' : 'single'} reading, ${s.mode}` +
              `  ·  ${s.size} reports, ${s.fullyRead} fully read, ${s.curated} curated` +
              `${(s.readers ?? []).length ? ` (${s.readers.map((r) => `${r.name} ${r.completed}/${s.size}`).join(', ')})` : ''}` +
              `${s.sampling.strategy === 'disagreement' ? `  ·  disagreement: ${DISAGREEMENT_RULE_TEXT[(s.sampling.disagreementRule ?? 'presence') as DisagreementRule]}` : ''}` +
              `  ·  created ${s.createdAt.slice(0, 16).replace('T', ' ')}`
          )
        )
      })
    })
}
