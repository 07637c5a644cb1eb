// `radlabel label INPUT --out OUTPUT.csv`: the one-shot job for a file. Imports the file into a
// workspace (a temporary one unless --db is given) through the import pipeline, labels it as a stored
// run, and writes one CSV row per input record, in input order: the id column first, then one column
// per label (1 / 0 / -1 / empty). Rejected input rows are listed on stderr and set exit code 2.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import { applyMapping, MAPPED_SECTIONS, suggestMapping, type FieldMapping, type MappedSection } from '../../../common/import/mapping'
import { STATE_TO_CSV, type LabelState } from '../../../common/types'
import { createRun, getRun, RUN_JOB_KIND, type RunScope } from '../../engines/run'
import { writeFileSafely, assertWritable } from '../../export/write-file'
import { describeLocation, importFile, sha256 } from '../../import/pipeline'
import { defaultMappingFor, openSource } from '../../import/read'
import { records } from '../../import/types'
import { yieldToEventLoop } from '../../jobs/jobManager'
import type { Db } from '../../store/db'
import { getLabelSet } from '../../store/repos/labelSets'
import { printJson } from '../output'
import { runJobInForeground, withSession } from '../session'
import { runPositives, runSummaryLines } from './detect'
import { addEngineFlags, engineConfig, type EngineFlags } from './engine-flags'

interface LabelOptions extends EngineFlags {
  out: string
  labelSet: string
  idColumn?: string
  textColumns?: string
  db?: string
  runName?: string
  force?: boolean
  json?: boolean
}

const norm = (s: string): string => s.toLowerCase().replace(/[\s_\-.]+/g, '')
const SECTION_ALIASES: Record<string, MappedSection> = {
  findings: 'findings',
  finding: 'findings',
  impression: 'impression',
  impressions: 'impression',
  conclusion: 'impression',
  indication: 'indication',
  history: 'indication',
  comparison: 'comparison',
  technique: 'technique'
}

/** The field mapping from --id-column / --text-columns; missing parts are suggested from the file. */
export function mappingFromFlags(fields: readonly string[], idColumn?: string, textColumns?: string): FieldMapping {
  const base = suggestMapping(fields)
  const check = (flag: string, col: string): void => {
    if (!fields.includes(col)) {
      throw new AppError('invalid_input', `${flag}: there is no column "${col}" in the input.`, `Columns: ${fields.join(', ')}.`)
    }
  }
  const mapping: FieldMapping = { ...base }
  if (idColumn) {
    check('--id-column', idColumn)
    mapping.idField = idColumn
  }
  if (textColumns) {
    const cols = textColumns.split(',').map((c) => c.trim()).filter(Boolean)
    cols.forEach((c) => check('--text-columns', c))
    delete mapping.textField
    delete mapping.sectionFields
    if (cols.length === 1) mapping.textField = cols[0]
    else {
      // several columns become sections named after them (findings, impression, ...); one other column
      const sections: Partial<Record<MappedSection, string>> = {}
      for (const c of cols) {
        const name = SECTION_ALIASES[norm(c)] ?? 'other'
        if (sections[name]) {
          throw new AppError(
            'invalid_input',
            `--text-columns: "${c}" and "${sections[name]}" would both be the ${name} section.`,
            `Name at most one column that is not a section (${MAPPED_SECTIONS.join(', ')}), or pass a single text column.`
          )
        }
        sections[name] = c
      }
      mapping.sectionFields = sections
    }
  }
  if (mapping.meta) {
    // metadata must not reuse a text column
    const text = new Set([mapping.textField, ...Object.values(mapping.sectionFields ?? {})])
    mapping.meta = Object.fromEntries(Object.entries(mapping.meta).filter(([, f]) => !text.has(f)))
  }
  return mapping
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

interface Rejection {
  where: string
  reason: string
}

/** Reads the input again in order: each record's report key, or why it was rejected. */
async function inputKeys(path: string, mapping: FieldMapping): Promise<{ keys: (string | null)[]; ids: string[]; rejected: Rejection[] }> {
  const source = await openSource(path)
  const keys: (string | null)[] = []
  const ids: string[] = []
  const rejected: Rejection[] = []
  for await (const item of records(source)) {
    const where = describeLocation(item.loc)
    if (item.kind === 'error') {
      rejected.push({ where, reason: item.reason })
      continue
    }
    const m = applyMapping(item.fields, mapping)
    if (!m.ok) {
      rejected.push({ where, reason: m.reason })
      continue
    }
    keys.push(m.report.externalId ?? `sha256:${sha256(m.report.text)}`)
    ids.push(m.report.externalId ?? String(item.loc.record))
  }
  return { keys, ids, rejected }
}

export function registerLabel(program: Command): void {
  const cmd = program
    .command('label <input>')
    .description('One-shot: import a report file, label it, write a CSV (id first, one column per label: 1/0/-1/empty).')
    .requiredOption('--out <file.csv>', 'output CSV')
    .option('--label-set <id>', 'label set: slug, slug@version or id', 'chexpert14')
    .option('--id-column <column>', 'input column with the report id (default: detected; else the record number)')
    .option('--text-columns <c1,c2>', 'input column(s) with the report text; several become sections (findings, impression, ...)')
    .option('--db <path>', 'import into this workspace and keep the run there (default: a temporary workspace)')
    .option('--run-name <name>', 'name of the stored run')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print a JSON summary on stdout')
  addEngineFlags(cmd).action(async (input: string, opts: LabelOptions) => {
    const inputPath = resolve(input)
    const outPath = assertWritable(opts.out, Boolean(opts.force))
    const tempDir = opts.db ? null : mkdtempSync(join(tmpdir(), 'radlabel-label-'))
    const dbPath = opts.db ?? join(tempDir!, 'label.db')
    try {
      await withSession(dbPath, async (session) => {
        const { db } = session.ctx.workspace
        const config = await engineConfig(opts, db)
        // the mapping is fixed up front so the import and the output read records the same way
        const probe = await openSource(inputPath).catch((err: unknown) => {
          const e = AppError.from(err)
          throw new AppError(e.code, `Cannot read ${inputPath}: ${e.message}`, e.hint)
        })
        const fields = probe.info.fields
        const mapping =
          opts.idColumn || opts.textColumns
            ? mappingFromFlags(fields, opts.idColumn, opts.textColumns)
            : (defaultMappingFor(probe.info.format) ?? suggestMapping(fields))
        const imported = await importFile(db, { path: inputPath, mapping }, { yieldFn: yieldToEventLoop })
        if (imported.status === 'refused') {
          throw new AppError('invalid_input', imported.error ?? `${inputPath} could not be imported.`, 'Check the file format and --id-column / --text-columns.')
        }
        const { keys, ids, rejected } = await inputKeys(inputPath, mapping)
        const labelRows = await labelKeys(session, db, keys, imported.batchId, opts, config)
        const labelSet = getLabelSet(db, labelRows.run.labelSetId)
        const idHeader = mapping.idField ?? 'record'
        const unlabelled: string[] = []
        const written = writeFileSafely(outPath, Boolean(opts.force), (w) => {
          w.write([idHeader, ...labelSet.labels.map((l) => l.name)].map(csvField).join(',') + '\n')
          let rows = 0
          keys.forEach((key, i) => {
            const states = key ? labelRows.byKey.get(key) : undefined
            if (!states) {
              unlabelled.push(ids[i])
              return
            }
            w.write([ids[i], ...states.map((s) => (s ? STATE_TO_CSV[s] : ''))].map(csvField).join(',') + '\n')
            rows++
          })
          return { rows }
        })
        for (const r of rejected) process.stderr.write(`radlabel: rejected ${inputPath} ${r.where}: ${r.reason}\n`)
        if (unlabelled.length) {
          process.stderr.write(
            `radlabel: ${unlabelled.length} record(s) have no labels (the engine failed on them) and were left out: ${unlabelled.slice(0, 10).join(', ')}${unlabelled.length > 10 ? ', ...' : ''}\n`
          )
        }
        if (imported.conflicts) {
          process.stderr.write(
            `radlabel: ${imported.conflicts} record(s) reuse an id already in the workspace with other text; the stored text was labelled (see "radlabel import" issues).\n`
          )
        }
        const run = getRun(db, labelRows.run.sourceId)
        const summary = {
          input: inputPath,
          output: written.path,
          rows: written.rows,
          rejected: rejected.length,
          conflicts: imported.conflicts,
          workspace: opts.db ? session.ctx.workspace.path : null,
          run
        }
        if (opts.json) printJson(summary)
        else {
          process.stderr.write(runSummaryLines(run, runPositives(db, run.sourceId)).join('\n') + '\n')
          process.stderr.write(`Wrote ${written.rows} rows to ${written.path}${rejected.length ? `; ${rejected.length} input row(s) rejected` : ''}.\n`)
        }
        if (rejected.length || unlabelled.length) process.exitCode = 2
      })
    } finally {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true })
    }
  })
}

/** Labels the reports the input refers to and returns their states by report key. */
async function labelKeys(
  session: Parameters<Parameters<typeof withSession>[1]>[0],
  db: Db,
  keys: (string | null)[],
  batchId: number | null,
  opts: LabelOptions,
  config: Record<string, unknown>
): Promise<{ run: ReturnType<typeof getRun>; byKey: Map<string, (LabelState | null)[]> }> {
  const wanted = [...new Set(keys.filter((k): k is string => k !== null))]
  if (wanted.length === 0) throw new AppError('invalid_input', 'The input has no report that could be read.', 'See the rejected rows above.')
  // which stored reports the input refers to (duplicates and already stored reports included)
  const idOf = new Map<string, number>()
  const batchOf = new Map<number, number | null>()
  const lookup = db.prepare('SELECT id, batch_id FROM reports WHERE report_key = ?')
  for (const k of wanted) {
    const row = lookup.get(k) as { id: number; batch_id: number | null } | undefined
    if (row) {
      idOf.set(k, row.id)
      batchOf.set(row.id, row.batch_id)
    }
  }
  const reportIds = [...new Set(idOf.values())]
  const inBatch = batchId !== null && reportIds.every((id) => batchOf.get(id) === batchId)
  const scope: RunScope = inBatch ? { batchIds: [batchId!] } : reportIds.length <= 30_000 ? { reportIds } : {}
  const run = createRun(db, { engine: opts.engine, labelSet: opts.labelSet, config, name: opts.runName, scope, actor: 'cli' })
  await runJobInForeground(session, RUN_JOB_KIND, `label ${run.name}`, { sourceId: run.sourceId })
  const labelSet = getLabelSet(db, run.labelSetId)
  const ord = new Map(labelSet.labels.map((l, i) => [l.id, i]))
  const states = new Map<number, (LabelState | null)[]>()
  const stmt = db.prepare('SELECT report_id, label_id, state FROM source_labels WHERE source_id = ?')
  for (const row of stmt.iterate(run.sourceId) as Iterable<{ report_id: number; label_id: number; state: LabelState }>) {
    let s = states.get(row.report_id)
    if (!s) states.set(row.report_id, (s = labelSet.labels.map(() => null)))
    const i = ord.get(row.label_id)
    if (i !== undefined) s[i] = row.state
  }
  const byKey = new Map<string, (LabelState | null)[]>()
  for (const [k, id] of idOf) {
    const s = states.get(id)
    if (s) byKey.set(k, s)
  }
  return { run: getRun(db, run.sourceId), byKey }
}
