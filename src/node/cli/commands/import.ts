// `radlabel import` and `radlabel import-labels`: the same job and domain code as the import wizard.
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import type { HeaderReport, LabelImportResult, SectionMapVersion } from '../../../common/import/dto'
import type { SectionHeaderMap } from '../../../common/text/sections'
import { batchHeaderReport, saveSectionMap } from '../../import/sections-report'
import { IMPORT_FORMATS, type FieldMapping, type ImportFormat } from '../../../common/import/mapping'
import { listPresets, savePreset } from '../../store/repos/batches'
import { writeIssuesCsv } from '../../import/issues-csv'
import { IMPORT_JOB_KIND, type ImportJobParams, type ImportJobResult } from '../../import/job'
import type { SourceOptions } from '../../import/pipeline'
import type { TextEncoding } from '../../import/types'
import { printJson, printLines } from '../output'
import { addColumnFlags, columnOverrides, type ColumnFlags } from './column-flags'
import { callOrThrow, followJob, withSession } from '../session'

interface ImportOpts extends ColumnFlags {
  db: string
  format: string
  encoding?: string
  delimiter?: string
  header: string
  sheet?: string
  name?: string
  preset?: string
  savePreset?: string
  errors?: string
  resume: boolean
  json?: boolean
  maxReportChars?: string
  sectionHeader: string[]
}

const SECTION_TARGETS = ['indication', 'technique', 'comparison', 'findings', 'impression', 'other', 'none'] as const

/** "CLINICAL QUESTION=indication" flags -> a site header map. */
export function parseSectionHeaders(pairs: string[]): SectionHeaderMap {
  const map: SectionHeaderMap = {}
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=')
    const phrase = eq > 0 ? pair.slice(0, eq).trim() : ''
    const section = eq > 0 ? pair.slice(eq + 1).trim().toLowerCase() : ''
    if (!phrase || !(SECTION_TARGETS as readonly string[]).includes(section)) {
      throw new AppError(
        'invalid_input',
        `--section-header "${pair}" is not PHRASE=SECTION.`,
        `Write e.g. --section-header "CLINICAL QUESTION=indication"; sections: ${SECTION_TARGETS.join(', ')} (none: not a header).`
      )
    }
    map[phrase] = section as SectionHeaderMap[string]
  }
  return map
}

const collect = (v: string, prev: string[]) => [...prev, v]

/** The header report of a batch as lines: recognised headers by section, then the unrecognised ones. */
export function headerReportLines(r: HeaderReport): string[] {
  const known = r.headers.filter((h) => h.section !== null)
  const unknown = r.headers.filter((h) => h.section === null)
  const fmt = (h: HeaderReport['headers'][number]) => `${h.phrase} (${h.reports} report${h.reports === 1 ? '' : 's'})`
  const lines = [`Headers in batch ${r.batchId} (${r.reports} reports):`]
  const bySection = new Map<string, string[]>()
  for (const h of known) bySection.set(h.section as string, [...(bySection.get(h.section as string) ?? []), fmt(h)])
  for (const [section, hs] of bySection) lines.push(`  ${section}: ${hs.join(', ')}`)
  if (unknown.length) lines.push(`  not recognised: ${unknown.map(fmt).join(', ')}`)
  if (r.moreHeaders) lines.push(`  … and ${r.moreHeaders} rarer headers`)
  if (r.withoutFindingsOrImpression)
    lines.push(`  ${r.withoutFindingsOrImpression} report(s) have no findings or impression text (a findings/impression scope reads nothing of them)`)
  if (unknown.length) lines.push(`  Teach them: radlabel import-sections ${r.batchId} --db … --section-header "${unknown[0].phrase}=findings"`)
  return lines
}

const sum = (r: ImportJobResult) =>
  `added ${r.added}, duplicates ${r.duplicates}, conflicts ${r.conflicts}, rejected ${r.rejected} (${r.records} records)`

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description(
      'Import reports from CSV/TSV, Excel, JSON/JSONL, folders of .txt (MIMIC-CXR layout), HL7 v2 ORU or FHIR files.\n' +
        'Re-importing adds nothing; the same id with other text is a conflict (kept, reported); an interrupted\n' +
        'import of the same file continues where it stopped.'
    )
    .argument('<files...>', 'files or folders to import')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--format <format>', `auto | ${IMPORT_FORMATS.join(' | ')}`, 'auto')
  addColumnFlags(cmd)
  cmd
    .option('--encoding <enc>', 'utf-8 | utf-16le | utf-16be | windows-1252 (default: detected)')
    .option('--delimiter <char>', 'CSV delimiter (default: detected; "\\t" for tab)')
    .option('--header <auto|yes|no>', 'whether the first row is a header', 'auto')
    .option('--sheet <name>', 'Excel sheet (default: the first)')
    .option('--name <name>', 'batch name (default: the file name)')
    .option('--preset <name>', 'use a saved mapping preset')
    .option('--save-preset <name>', 'save the mapping used as a preset for this source')
    .option('--errors <file>', 'write rejected records and conflicts of the batch(es) to this CSV')
    .option('--no-resume', 'start a new batch even if an interrupted import of the same file exists')
    .option('--max-report-chars <n>', 'reject reports longer than this many characters (default 1048576)')
    .option('--section-header <phrase=section>', 'a site header and the section it opens (repeatable), e.g. "CLINICAL QUESTION=indication"', collect, [])
    .option('--json', 'print one JSON object')
    .action(async (files: string[], o: ImportOpts) => {
      if (o.format !== 'auto' && !(IMPORT_FORMATS as readonly string[]).includes(o.format)) {
        throw new AppError('invalid_input', `Unknown format "${o.format}".`, `Use auto or one of: ${IMPORT_FORMATS.join(', ')}.`)
      }
      const options: SourceOptions = { format: o.format as ImportFormat | 'auto' }
      if (o.encoding) options.encoding = o.encoding as TextEncoding
      if (o.delimiter) options.delimiter = o.delimiter === '\\t' ? '\t' : o.delimiter
      if (o.header === 'yes' || o.header === 'no') options.hasHeader = o.header === 'yes'
      else if (o.header !== 'auto') throw new AppError('invalid_input', `--header must be auto, yes or no (got "${o.header}").`)
      if (o.sheet) options.sheet = o.sheet
      if (o.maxReportChars !== undefined) {
        const n = Number(o.maxReportChars)
        if (!Number.isInteger(n) || n < 1000) throw new AppError('invalid_input', `--max-report-chars must be a whole number of at least 1000 (got "${o.maxReportChars}").`)
        options.maxReportChars = n
      }
      const sectionHeaders = o.sectionHeader.length ? parseSectionHeaders(o.sectionHeader) : undefined
      await withSession(o.db, async (session) => {
        const db = session.ctx.workspace.db
        let mapping: FieldMapping | undefined
        if (o.preset) {
          const preset = listPresets(db).find((p) => p.name === o.preset)
          if (!preset) {
            const names = listPresets(db).map((p) => p.name)
            throw new AppError('not_found', `There is no mapping preset "${o.preset}".`, names.length ? `Presets: ${names.join(', ')}.` : 'Save one with --save-preset.')
          }
          mapping = preset.mapping
        }
        if (mapping && sectionHeaders) mapping = { ...mapping, sectionHeaders: { ...(mapping.sectionHeaders ?? {}), ...sectionHeaders } }
        const overrides = mapping ? undefined : columnOverrides(o)
        const params: ImportJobParams = {
          files: files.map((path) => ({
            path,
            options,
            mapping,
            mappingOverrides: mapping ? undefined : sectionHeaders ? { ...(overrides ?? {}), sectionHeaders } : overrides,
            name: o.name
          })),
          autoResume: o.resume
        }
        const title = files.length === 1 ? `Import ${files[0]}` : `Import ${files.length} files`
        const started = session.ctx.jobs.start(IMPORT_JOB_KIND, title, params)
        const job = await followJob(session, started.id, title)
        if (job.status === 'cancelled') throw new AppError('cancelled', `${title} was cancelled; run the same import again to continue it.`)
        if (job.status === 'failed') {
          // every file refused (or the job failed): the job says so too (jobs list: failed, with the reason)
          if (o.json) printJson({ added: 0, duplicates: 0, conflicts: 0, rejected: 0, records: 0, refused: files.length, jobId: job.id, error: job.error })
          process.stderr.write(`radlabel: error: ${job.error ?? `${title} failed.`}\n`)
          process.exitCode = 2
          return
        }
        const result = job.result as ImportJobResult
        if (o.savePreset) {
          const used = result.files.find((f) => f.batchId !== null)
          if (used?.batchId) {
            const stored = db.prepare('SELECT format, mapping_json FROM import_batches WHERE id = ?').get(used.batchId) as { format: ImportFormat; mapping_json: string }
            const usedMapping = JSON.parse(stored.mapping_json).mapping as FieldMapping
            savePreset(db, { name: o.savePreset, format: stored.format, mapping: usedMapping })
            if (usedMapping.sectionHeaders) saveSectionMap(db, o.savePreset, usedMapping.sectionHeaders)
          }
        }
        let errorsWritten: number | undefined
        if (o.errors) {
          errorsWritten = 0
          const batchIds = result.files.map((f) => f.batchId).filter((b): b is number => b !== null)
          // One file per batch when several; the given name otherwise.
          for (const [i, b] of batchIds.entries()) {
            const path = batchIds.length > 1 ? o.errors.replace(/(\.csv)?$/i, `-batch${b}.csv`) : o.errors
            errorsWritten += await writeIssuesCsv(db, b, i === 0 && batchIds.length === 1 ? o.errors : path)
          }
        }
        const refused = result.files.filter((f) => f.status === 'refused')
        const headerReports: HeaderReport[] = []
        for (const f of result.files) if (f.batchId !== null && f.status !== 'refused') headerReports.push(await batchHeaderReport(db, f.batchId))
        if (o.json) {
          printJson({
            added: result.added,
            duplicates: result.duplicates,
            conflicts: result.conflicts,
            rejected: result.rejected,
            records: result.records,
            revised: result.revised ?? 0,
            refused: refused.length,
            jobId: job.id,
            files: result.files,
            headerReports,
            ...(errorsWritten !== undefined ? { errorsFile: o.errors, errorsWritten } : {})
          })
        } else {
          const lines = result.files.map((f) =>
            f.status === 'refused'
              ? `${f.path}: REFUSED — ${f.error}`
              : `${f.path}: ${f.format}, batch ${f.batchId}${f.resumedFrom ? ` (resumed after record ${f.resumedFrom})` : ''}: ` +
                `added ${f.added}, duplicates ${f.duplicates}, conflicts ${f.conflicts}, rejected ${f.rejected}` +
                (f.revised ? `, new versions ${f.revised} (addenda/corrections)` : '') +
                (f.notes.length ? `\n  ${f.notes.join('\n  ')}` : '')
          )
          if (result.files.length > 1) lines.push(`Total: ${sum(result)}`)
          for (const h of headerReports) lines.push(...headerReportLines(h))
          if (result.rejected + result.conflicts > 0 && errorsWritten === undefined)
            lines.push('Rejected records and conflicts: write them with --errors FILE.csv, or see the Import page.')
          if (errorsWritten !== undefined) lines.push(`${errorsWritten} issues written to ${o.errors}`)
          printLines(lines)
        }
        for (const f of refused) process.stderr.write(`radlabel: error: ${f.error}\n`)
        if (refused.length) process.exitCode = 2
      })
    })

  program
    .command('import-sections')
    .description(
      'Show the headers the reports of an import batch use (how often, recognised as which section, or not);\n' +
        'with --section-header, teach the site\'s headers and re-split the stored reports (no re-import).'
    )
    .argument('<batch>', 'import batch id')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--section-header <phrase=section>', 'a site header and its section (repeatable); replaces the batch\'s map', collect, [])
    .option('--clear', 'drop the batch\'s site header map (built-in headers only) and re-split')
    .option('--preset <name>', 'also save the map as the next version of this preset\'s section map')
    .option('--json', 'print one JSON object')
    .action(async (batch: string, o: { db: string; sectionHeader: string[]; clear?: boolean; preset?: string; json?: boolean }) => {
      const batchId = Number(batch)
      if (!Number.isInteger(batchId) || batchId < 1) throw new AppError('invalid_input', `"${batch}" is not a batch id.`, 'List batches in the app, or see the import output.')
      await withSession(o.db, async (session) => {
        if (o.sectionHeader.length || o.clear) {
          const headers = o.clear ? {} : parseSectionHeaders(o.sectionHeader)
          const r = await callOrThrow<{ reports: number; changed: number; saved: SectionMapVersion | null; report: HeaderReport }>(
            session,
            'import.setSectionHeaders',
            { batchId, headers, ...(o.preset ? { preset: o.preset } : {}) }
          )
          if (o.json) return printJson(r)
          printLines([
            `Re-split ${r.reports} reports of batch ${batchId}: ${r.changed} changed sections (texts unchanged).`,
            ...(r.saved ? [`Saved as version ${r.saved.version} of the section map of preset "${r.saved.preset}".`] : []),
            ...headerReportLines(r.report)
          ])
          return
        }
        const r = await callOrThrow<HeaderReport>(session, 'import.headerReport', { batchId })
        if (o.json) return printJson(r)
        printLines(headerReportLines(r))
      })
    })

  program
    .command('import-labels')
    .description('Import reference labels (CheXpert/MIMIC 1/0/-1/blank or 0/1 columns) as a named source.')
    .argument('<file>', 'label file (CSV/TSV/Excel/JSON)')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--source <name>', 'name of the new source, e.g. "site gold"')
    .requiredOption('--label-set <id>', 'label set id, slug or slug@version (e.g. chexpert14)')
    .requiredOption('--id-column <name>', 'column with the report id')
    .option('--zero-as <state>', 'what 0 means: negative | not_mentioned', 'negative')
    .option('--format <format>', 'auto | csv | tsv | xlsx | json | jsonl', 'auto')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: { db: string; source: string; labelSet: string; idColumn: string; zeroAs: string; format: string; json?: boolean }) => {
      await withSession(o.db, async (session) => {
        const r = await callOrThrow<LabelImportResult>(session, 'import.labels', {
          path: file,
          sourceName: o.source,
          labelSet: o.labelSet,
          idColumn: o.idColumn,
          zeroAs: o.zeroAs,
          options: { format: o.format }
        })
        if (o.json) {
          const { rejected: rejectedRows, ...rest } = r
          printJson({
            added: r.reportsLabelled,
            duplicates: 0,
            conflicts: 0,
            rejected: r.rejectedCount,
            ...rest,
            rejectedRows
          })
          return
        }
        printLines([
          `Source "${r.sourceName}" (id ${r.sourceId}): ${r.reportsLabelled} reports labelled, ${r.labelsWritten} labels from ${r.rows} rows.`,
          `Columns matched: ${r.matched.map((m) => (m.column === m.label ? m.label : `${m.column} -> ${m.label}`)).join(', ')}`,
          ...(r.unknownColumns.length ? [`Columns not used: ${r.unknownColumns.join(', ')}`] : []),
          ...(r.missingLabels.length ? [`Labels without a column: ${r.missingLabels.join(', ')}`] : []),
          ...(r.unknownReportIds.count
            ? [`${r.unknownReportIds.count} ids match no report: ${r.unknownReportIds.sample.slice(0, 10).join(', ')}${r.unknownReportIds.count > 10 ? ', …' : ''}`]
            : []),
          ...(r.rejectedCount ? [`${r.rejectedCount} rows rejected:`, ...r.rejected.slice(0, 20).map((x) => `  ${x.location}: ${x.reason}`)] : [])
        ])
      })
    })
}
