// `radlabel label INPUT --out OUTPUT.csv`: the one-shot job for a file. Writes one CSV row per input
// record, in input order: the id column first, then one column per label (1 / 0 / -1 / empty). Rejected
// input rows (and reports the engine failed on) get empty labels, are listed on stderr and set exit code 2.
// Without --db the file is streamed (read, label, write a chunk at a time): nothing is stored, no report
// text is written anywhere but the output. With --db the reports are imported and labelled as a stored run.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import { applyMapping, type FieldMapping } from '../../../common/import/mapping'
import { formatZodError } from '../../../common/ipc/validation'
import { STATE_TO_CSV, type LabelState } from '../../../common/types'
import { createRun, getRun, RUN_JOB_KIND, type RunScope } from '../../engines/run'
import { getEngine } from '../../engines/registry'
import { labelStream, type StreamRow } from '../../engines/stream'
import { SafeFileWriter, assertWritable } from '../../export/write-file'
import { describeLocation, importFile, sha256 } from '../../import/pipeline'
import { defaultMappingFor, openSource } from '../../import/read'
import { records, type RecordSource } from '../../import/types'
import { yieldToEventLoop } from '../../jobs/jobManager'
import type { Db } from '../../store/db'
import { findLabelSet, getLabelSet } from '../../store/repos/labelSets'
import { printJson, progressPrinter } from '../output'
import { runJobInForeground, withSession } from '../session'
import { addColumnFlags, columnOverrides, mappingFromFlags, type ColumnFlags } from './column-flags'
import { runPositives, runSummaryLines } from './detect'
import { addEngineFlags, engineConfig, type EngineFlags } from './engine-flags'

interface LabelOptions extends EngineFlags, ColumnFlags {
  out: string
  labelSet: string
  db?: string
  runName?: string
  force?: boolean
  json?: boolean
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

interface Rejection {
  id: string
  where: string
  reason: string
}

/** The output file must go into an existing folder: a typo in the path must not create folders. */
function outputPath(out: string, force: boolean): string {
  const path = assertWritable(out, force)
  const folder = dirname(path)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AppError('invalid_input', `Cannot write ${path}: the folder ${folder} does not exist.`, 'Create the folder first, or choose another --out path.')
  }
  return path
}

/**
 * Earlier versions labelled through a temporary workspace (tmpdir/radlabel-label-XXXXXX, report text
 * included) that a killed process left behind. Remove such folders that nothing has touched for 10 minutes.
 */
export function removeStaleTempWorkspaces(now = Date.now()): number {
  let removed = 0
  let names: string[]
  try {
    names = readdirSync(tmpdir())
  } catch {
    return 0
  }
  for (const name of names) {
    if (!/^radlabel-label-[A-Za-z0-9]{6}$/.test(name)) continue
    const dir = join(tmpdir(), name)
    try {
      const files = readdirSync(dir)
      const newest = Math.max(statSync(dir).mtimeMs, ...files.map((f) => statSync(join(dir, f)).mtimeMs))
      if (now - newest < 10 * 60_000) continue
      rmSync(dir, { recursive: true, force: true })
      removed++
    } catch {
      /* not ours, or already gone */
    }
  }
  return removed
}

async function openInput(inputPath: string): Promise<RecordSource> {
  return openSource(inputPath).catch((err: unknown) => {
    const e = AppError.from(err)
    throw new AppError(e.code, e.message.includes(inputPath) ? e.message : `Cannot read ${inputPath}: ${e.message}`, e.hint)
  })
}

/** The mapping is fixed up front from the flags, the format's default or the file's field names. */
function mappingFor(source: RecordSource, opts: LabelOptions): FieldMapping {
  const fields = source.info.fields
  return columnOverrides(opts) ? mappingFromFlags(fields, opts) : (defaultMappingFor(source.info.format) ?? mappingFromFlags(fields, {}))
}

function reportRejections(inputPath: string, rejected: Rejection[], failed: { id: string; error: string }[]): void {
  for (const r of rejected) process.stderr.write(`radlabel: rejected ${inputPath} ${r.where}: ${r.reason} (written with empty labels)\n`)
  if (failed.length) {
    process.stderr.write(
      `radlabel: the engine failed on ${failed.length} report(s), written with empty labels: ` +
        `${failed.slice(0, 10).map((f) => `${f.id} (${f.error})`).join(', ')}${failed.length > 10 ? ', ...' : ''}\n`
    )
  }
}

export function registerLabel(program: Command): void {
  const cmd = program
    .command('label <input>')
    .description(
      'One-shot: label a report file and write a CSV, one row per input row in input order (id first, one column per label: 1/0/-1/empty).\n' +
        'Without --db the file is streamed and nothing is stored; rejected rows get empty labels and are listed on stderr (exit code 2).'
    )
    .requiredOption('--out <file.csv>', 'output CSV (its folder must exist)')
    .option('--label-set <id>', 'label set: slug, slug@version or id', 'chexpert14')
    .option('--db <path>', 'import into this workspace and keep the run there (default: nothing is stored)')
    .option('--run-name <name>', 'name of the stored run (with --db)')
    .option('--force', 'overwrite the output file')
    .option('--json', 'print a JSON summary on stdout')
  addColumnFlags(cmd)
  addEngineFlags(cmd).action(async (input: string, opts: LabelOptions) => {
    const inputPath = resolve(input)
    const outPath = outputPath(opts.out, Boolean(opts.force))
    removeStaleTempWorkspaces()
    if (opts.db) await labelIntoWorkspace(inputPath, outPath, opts)
    else await labelStreaming(inputPath, outPath, opts)
  })
}

interface Counts {
  label: string
  positive: number
  uncertain: number
  negative: number
}

/** Without --db: read, label and write one chunk at a time; memory holds one chunk. */
async function labelStreaming(inputPath: string, outPath: string, opts: LabelOptions): Promise<void> {
  if (opts.runName) throw new AppError('invalid_input', '--run-name needs --db (without it nothing is stored).')
  // An in-memory workspace resolves label sets and engine settings the same way as a stored one.
  await withSession(':memory:', async (session) => {
    const { db } = session.ctx.workspace
    const config = await engineConfig(opts, db)
    const labelSet = getLabelSet(db, findLabelSet(db, opts.labelSet).id)
    const engine = getEngine(opts.engine)
    const parsed = engine.configSchema.safeParse(config)
    if (!parsed.success) throw new AppError('invalid_input', `Invalid ${engine.name} settings: ${formatZodError(parsed.error)}`)
    const source = await openInput(inputPath)
    const mapping = mappingFor(source, opts)
    const names = labelSet.labels.map((l) => l.name)
    const started = Date.now()
    const progress = progressPrinter(`label ${inputPath}`)
    const engineSession = await engine.open(parsed.data, { ...labelSet.definition, version: labelSet.version }, (message) =>
      process.stderr.write(`${message}\n`)
    )
    const controller = new AbortController()
    const onSigint = (): void => controller.abort()
    process.once('SIGINT', onSigint)
    const writer = new SafeFileWriter(outPath, Boolean(opts.force))
    const counts: Counts[] = names.map((label) => ({ label, positive: 0, uncertain: 0, negative: 0 }))
    const rejected: Rejection[] = []
    const failed: { id: string; error: string }[] = []
    let rows = 0
    let labelled = 0
    try {
      writer.write([mapping.idField ?? 'record', ...names].map(csvField).join(',') + '\n')
      const batchSize = engine.batchSize?.(parsed.data) ?? 256
      for await (const chunk of labelStream(source, mapping, engineSession, names, { batchSize, signal: controller.signal })) {
        writer.write(chunk.map((row) => outputLine(row, counts)).join(''))
        for (const row of chunk) {
          if (row.rejected) rejected.push({ id: row.id, ...row.rejected })
          else if (row.failed !== undefined) failed.push({ id: row.id, error: row.failed })
          else labelled++
        }
        rows += chunk.length
        progress(snapshot(labelled, Date.now() - started, 'running'))
        if (controller.signal.aborted) break
        await yieldToEventLoop()
      }
      if (controller.signal.aborted) throw new AppError('cancelled', 'Labelling was cancelled; no output was written.')
      if (labelled === 0 && failed.length === 0) throw new AppError('invalid_input', `${inputPath} has no report that could be read.`, 'See the rejected rows above.')
      writer.commit()
    } catch (err) {
      writer.abort()
      reportRejections(inputPath, rejected.slice(0, 50), failed)
      throw err
    } finally {
      process.off('SIGINT', onSigint)
      await engineSession.close().catch(() => {})
    }
    const wallMs = Date.now() - started
    progress(snapshot(labelled, wallMs, 'completed'))
    reportRejections(inputPath, rejected, failed)
    const summary = {
      input: inputPath,
      output: outPath,
      rows,
      labelled,
      rejected: rejected.length,
      failed: failed.length,
      conflicts: 0,
      workspace: null,
      run: null,
      engine: engine.name,
      labelSet: `${labelSet.slug}@${labelSet.version}`,
      config: parsed.data,
      provenance: { ...engineSession.provenance, engine: engine.name, labelSet: { slug: labelSet.slug, version: labelSet.version } },
      wallMs,
      labels: counts
    }
    if (opts.json) printJson(summary)
    else {
      process.stderr.write(
        [
          `Labelled ${labelled} reports${failed.length ? `, ${failed.length} failed` : ''} in ${(wallMs / 1000).toFixed(1)} s (${Math.round(labelled / Math.max(wallMs / 1000, 0.001))} reports/s).`,
          `Engine ${engine.name}, label set ${labelSet.slug}@${labelSet.version}, settings ${JSON.stringify(parsed.data)}.`,
          'label                         positive  uncertain  negative',
          ...counts.map((c) => `${c.label.padEnd(28)} ${String(c.positive).padStart(9)} ${String(c.uncertain).padStart(10)} ${String(c.negative).padStart(9)}`),
          `Wrote ${rows} rows to ${outPath}${rejected.length ? `; ${rejected.length} input row(s) rejected (empty labels)` : ''}.`
        ].join('\n') + '\n'
      )
    }
    if (rejected.length || failed.length) process.exitCode = 2
  })
}

function outputLine(row: StreamRow, counts: Counts[]): string {
  let line = csvField(row.id)
  if (!row.states) return line + ','.repeat(counts.length) + '\n'
  for (let i = 0; i < row.states.length; i++) {
    const s = row.states[i]
    if (s === 'positive') counts[i].positive++
    else if (s === 'uncertain') counts[i].uncertain++
    else if (s === 'negative') counts[i].negative++
    line += ',' + (s ? STATE_TO_CSV[s] : '')
  }
  return line + '\n'
}

function snapshot(done: number, ms: number, status: 'running' | 'completed') {
  return {
    id: 0,
    kind: 'label',
    title: 'label',
    status,
    progress: { done, total: null, unit: 'reports', rate: ms > 0 ? (1000 * done) / ms : undefined },
    error: null,
    result: null,
    createdAt: '',
    updatedAt: ''
  } as const
}

/** Reads the input again in order: each record's report key and id, or why it was rejected. */
async function inputKeys(path: string, mapping: FieldMapping): Promise<{ keys: (string | null)[]; ids: string[]; rejected: Map<number, Rejection> }> {
  const source = await openSource(path)
  const keys: (string | null)[] = []
  const ids: string[] = []
  const rejected = new Map<number, Rejection>()
  for await (const item of records(source)) {
    const where = describeLocation(item.loc)
    if (item.kind === 'error') {
      rejected.set(keys.length, { id: '', where, reason: item.reason })
      keys.push(null)
      ids.push('')
      continue
    }
    const m = applyMapping(item.fields, mapping)
    if (!m.ok) {
      const id = mapping.idField ? (item.fields[mapping.idField] ?? '').trim() : String(item.loc.record)
      rejected.set(keys.length, { id, where, reason: m.reason })
      keys.push(null)
      ids.push(id)
      continue
    }
    keys.push(m.report.externalId ?? `sha256:${sha256(m.report.text)}`)
    ids.push(m.report.externalId ?? String(item.loc.record))
  }
  return { keys, ids, rejected }
}

/** With --db: import into the workspace, label as a stored run, write the CSV from the run's labels. */
async function labelIntoWorkspace(inputPath: string, outPath: string, opts: LabelOptions): Promise<void> {
  await withSession(opts.db!, async (session) => {
    const { db } = session.ctx.workspace
    const config = await engineConfig(opts, db)
    const mapping = mappingFor(await openInput(inputPath), opts)
    const imported = await importFile(db, { path: inputPath, mapping }, { yieldFn: yieldToEventLoop })
    if (imported.status === 'refused') {
      throw new AppError('invalid_input', imported.error ?? `${inputPath} could not be imported.`, 'Check the file format and the column flags (--id-column, --text-column ...).')
    }
    const { keys, ids, rejected } = await inputKeys(inputPath, mapping)
    const labelRows = await labelKeys(session, db, keys, imported.batchId, opts, config)
    const labelSet = getLabelSet(db, labelRows.run.labelSetId)
    const unlabelled: string[] = []
    const writer = new SafeFileWriter(outPath, Boolean(opts.force))
    try {
      writer.write([mapping.idField ?? 'record', ...labelSet.labels.map((l) => l.name)].map(csvField).join(',') + '\n')
      keys.forEach((key, i) => {
        const states = key ? labelRows.byKey.get(key) : undefined
        if (key && !states) unlabelled.push(ids[i])
        writer.write([ids[i], ...(states ?? labelSet.labels.map(() => null)).map((s) => (s ? STATE_TO_CSV[s] : ''))].map(csvField).join(',') + '\n')
      })
      writer.commit()
    } catch (err) {
      writer.abort()
      throw err
    }
    reportRejections(inputPath, [...rejected.values()], unlabelled.map((id) => ({ id, error: 'no labels' })))
    if (imported.conflicts) {
      process.stderr.write(
        `radlabel: ${imported.conflicts} record(s) reuse an id already in the workspace with other text; the stored text was labelled (see "radlabel import" issues).\n`
      )
    }
    const run = getRun(db, labelRows.run.sourceId)
    const summary = {
      input: inputPath,
      output: outPath,
      rows: keys.length,
      labelled: keys.length - rejected.size - unlabelled.length,
      rejected: rejected.size,
      failed: unlabelled.length,
      conflicts: imported.conflicts,
      workspace: session.ctx.workspace.path,
      run
    }
    if (opts.json) printJson(summary)
    else {
      process.stderr.write(runSummaryLines(run, runPositives(db, run.sourceId)).join('\n') + '\n')
      process.stderr.write(`Wrote ${keys.length} rows to ${outPath}${rejected.size ? `; ${rejected.size} input row(s) rejected (empty labels)` : ''}.\n`)
    }
    if (rejected.size || unlabelled.length) process.exitCode = 2
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
