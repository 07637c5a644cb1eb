// Instruction-tuning data from a source's labels, for fine-tuning a lightweight LLM on the site's weak
// or curated labels. Mixes the seed paper's two tasks (open-ended detection and classification) with the
// same instructions the LLM engine uses at inference, in Alpaca (instruction/input/output) or
// chat-messages style, split into train and validation deterministically by report.
import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { AppError } from '../../common/errors'
import type { DatasetResult } from '../../common/ipc/calls/export'
import type { Evidence, LabelState } from '../../common/types'
import { askedLabels, DEFAULT_TEMPLATE, renderPrompt, templateId } from '../engines/llm/prompts'
import type { Db } from '../store/db'
import { getLabelSet } from '../store/repos/labelSets'
import { findSource } from '../store/repos/sources'
import { yieldToEventLoop } from '../jobs/jobManager'
import { sourcePages } from './source-pages'
import { SafeFileWriter, assertWritable } from './write-file'

interface Finding {
  phrase: string
  quote?: string
}

export const DATASET_STYLES = ['alpaca', 'chat'] as const
export type DatasetStyle = (typeof DATASET_STYLES)[number]
export const DATASET_TASKS = ['open', 'classify'] as const
export type DatasetTask = (typeof DATASET_TASKS)[number]

export const REPORT_TEXT_WARNING =
  'WARNING: these files contain the full text of radiology reports, i.e. patient data. Keep them on this ' +
  'machine or inside the hospital network, protect them like the reports themselves, do not upload them to ' +
  'any external service, and delete them when they are no longer needed.'

export interface DatasetOptions {
  source: string | number
  /** Output base: `base.train.jsonl`, `base.validation.jsonl`, `base.README.txt` (a trailing .jsonl is dropped). */
  path: string
  style: DatasetStyle
  tasks?: DatasetTask[]
  /** Share of reports in the validation split, 0..0.5. */
  validationFraction?: number
  /** Changes which reports land in validation; same salt, same split. */
  splitSalt?: string
  overwrite?: boolean
}

/** Deterministic split: a report is in validation when the hash of its key falls below the fraction. */
export function isValidationReport(reportKey: string, fraction: number, salt: string): boolean {
  const h = createHash('sha256').update(`${salt}\u0000${reportKey}`).digest()
  return h.readUInt32BE(0) / 4294967296 < fraction
}

export function datasetPaths(path: string): DatasetResult['files'] {
  const base = path.replace(/\.jsonl$/i, '')
  return { train: `${base}.train.jsonl`, validation: `${base}.validation.jsonl`, readme: `${base}.README.txt` }
}

export async function exportDataset(db: Db, opts: DatasetOptions, pause: () => Promise<void> = yieldToEventLoop): Promise<DatasetResult> {
  const fraction = opts.validationFraction ?? 0.1
  if (!(fraction >= 0 && fraction <= 0.5)) {
    throw new AppError('invalid_input', `Validation fraction ${fraction} is out of range.`, 'Use a number from 0 to 0.5, e.g. 0.1.')
  }
  if (!DATASET_STYLES.includes(opts.style)) {
    throw new AppError('invalid_input', `Unknown dataset style "${opts.style}".`, `Use one of ${DATASET_STYLES.join(', ')}.`)
  }
  const tasks = opts.tasks && opts.tasks.length ? [...new Set(opts.tasks)] : [...DATASET_TASKS]
  const bad = tasks.find((t) => !DATASET_TASKS.includes(t))
  if (bad) throw new AppError('invalid_input', `Unknown task "${bad}".`, `Use ${DATASET_TASKS.join(' and/or ')}.`)
  const salt = opts.splitSalt ?? 'radlabel-split-v1'
  const src = findSource(db, opts.source)
  const set = getLabelSet(db, src.labelSetId)
  const asked = askedLabels(set.definition)
  const prompts = Object.fromEntries(tasks.map((t) => [t, renderPrompt(DEFAULT_TEMPLATE, t, set.definition)]))
  const files = datasetPaths(opts.path)
  for (const f of Object.values(files)) assertWritable(f, opts.overwrite ?? false)

  const labelName = new Map(set.labels.map((l) => [l.id, l.name]))
  const findingStmt = db.prepare('SELECT phrase, evidence_json FROM findings WHERE source_id = ? AND report_id = ? ORDER BY id').raw()

  const example = (task: DatasetTask, text: string, states: Map<string, LabelState>, evidence: Map<string, Evidence[]>, findings: Finding[]): string => {
    const p = prompts[task]
    let answer: unknown
    if (task === 'classify') {
      const labels = Object.fromEntries(asked.map((l) => [l, states.get(l) ?? 'not_mentioned']))
      const quoted = asked
        .filter((l) => labels[l] === 'positive' || labels[l] === 'uncertain')
        .flatMap((l) => (evidence.get(l)?.[0] ? [{ label: l, quote: evidence.get(l)![0].text }] : []))
      answer = { labels, evidence: quoted }
    } else {
      answer = { findings }
    }
    const output = JSON.stringify(answer)
    const input = p.userPrefix + text
    if (opts.style === 'alpaca') return JSON.stringify({ instruction: p.system, input, output })
    return JSON.stringify({
      messages: [
        { role: 'system', content: p.system },
        { role: 'user', content: input },
        { role: 'assistant', content: output }
      ]
    })
  }

  const train = new SafeFileWriter(files.train, opts.overwrite ?? false)
  const validation = new SafeFileWriter(files.validation, opts.overwrite ?? false)
  const counts = { reports: { train: 0, validation: 0 }, examples: { train: 0, validation: 0 } }
  try {
    for await (const page of sourcePages(db, src.id, { withText: true, withEvidence: true, pause })) {
      for (const r of page) {
        const states = new Map<string, LabelState>()
        const evidence = new Map<string, Evidence[]>()
        for (const [labelId, v] of r.labels) {
          const name = labelName.get(labelId)
          if (!name) continue
          states.set(name, v.state)
          if (v.evidence) evidence.set(name, v.evidence)
        }
        // Open-ended answers: the findings an LLM run stored, else the source's positive labels.
        const stored = tasks.includes('open') ? (findingStmt.all(src.id, r.reportId) as Array<[string, string | null]>) : []
        const findings: Finding[] = stored.length
          ? stored.map(([phrase, ev]) => {
              const quote = ev ? (JSON.parse(ev) as Evidence[])[0]?.text : undefined
              return quote ? { phrase, quote } : { phrase }
            })
          : asked
              .filter((l) => states.get(l) === 'positive')
              .map((l) => {
                const quote = evidence.get(l)?.[0]?.text
                return quote ? { phrase: l.toLowerCase(), quote } : { phrase: l.toLowerCase() }
              })
        const val = isValidationReport(r.reportKey, fraction, salt)
        const w = val ? validation : train
        const split = val ? 'validation' : 'train'
        counts.reports[split]++
        for (const t of tasks) {
          w.write(example(t, r.text, states, evidence, findings) + '\n')
          counts.examples[split]++
        }
      }
    }
    if (counts.reports.train + counts.reports.validation === 0) {
      throw new AppError('not_found', `Source ${src.name} has no labels to export.`, 'Run a labeler or import labels first.')
    }
    const readme = new SafeFileWriter(files.readme, opts.overwrite ?? false)
    readme.write(
      [
        'RadLabel instruction-tuning dataset',
        '===================================',
        '',
        REPORT_TEXT_WARNING,
        '',
        `Created: ${new Date().toISOString()}`,
        `Label source: ${src.name} (id ${src.id}, kind ${src.kind}), label set ${src.labelSetSlug} version ${src.labelSetVersion}`,
        `Style: ${opts.style === 'alpaca' ? 'Alpaca (instruction / input / output)' : 'chat messages (system / user / assistant)'}`,
        `Tasks per report: ${tasks.map((t) => (t === 'open' ? 'open-ended detection' : 'classification')).join(' + ')}`,
        `Prompt template: ${templateId(DEFAULT_TEMPLATE)} (the same instructions the LLM engine uses, without few-shot examples)`,
        `Labels asked in classification: ${asked.join(', ')}`,
        `Split: by report, validation when sha256(salt + NUL + report key) / 2^32 < ${fraction}; salt "${salt}"`,
        `Train: ${counts.reports.train} reports, ${counts.examples.train} examples -> ${files.train}`,
        `Validation: ${counts.reports.validation} reports, ${counts.examples.validation} examples -> ${files.validation}`,
        '',
        'Answers are JSON. Classification: {"labels": {label: state}, "evidence": [{"label", "quote"}]} with states',
        'positive / negative / uncertain / not_mentioned. Open-ended: {"findings": [{"phrase", "quote"}]}; quotes are',
        'present only where the source recorded evidence. The labels are those of the source, so a weak source',
        'yields weak training targets: evaluate the fine-tuned model against curated labels before trusting it.',
        ''
      ].join('\n')
    )
    readme.commit()
    train.commit()
    validation.commit()
  } catch (err) {
    train.abort()
    validation.abort()
    rmSync(`${files.readme}.partial`, { force: true })
    throw err
  }
  return { files, ...counts, tasks, warning: REPORT_TEXT_WARNING }
}
