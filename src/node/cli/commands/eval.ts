// `radlabel eval`, `radlabel compare`, `radlabel agree`: the evaluation screen's numbers, headless.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { writeFileSync } from 'node:fs'
import { Option, type Command } from 'commander'
import type { Interval, StoreAgreement, StoreEvaluation } from '../../../common/eval'
import { UNCERTAIN_POLICIES } from '../../../common/eval'
import { AppError } from '../../../common/errors'
import type { CallParsed } from '../../../common/ipc/contract'
import { chromiumPdfRenderer, writePdf } from '../../eval/pdf'
import { assertWritable } from '../../export/write-file'
import { evaluationHtml } from '../../services/evaluate'
import { printJson, printLines } from '../output'
import { addStudentTeacherOptions, runStudentTeacherCli, type StudentTeacherCli } from './student-teacher'
import { callOrThrow, withSession } from '../session'

export interface EvalCliOptions {
  db: string
  pred: string[]
  ref: string
  uncertain: (typeof UNCERTAIN_POLICIES)[number]
  map?: string[]
  resamples: string
  seed: string
  json?: boolean
  html?: string
  pdf?: string
  force?: boolean
  title?: string
}

export function requireWorkspace(db: string): void {
  if (!existsSync(resolve(db))) {
    throw new AppError('not_found', `Workspace ${resolve(db)} does not exist.`, 'Check --db, or create one with `radlabel init --db PATH` and import reports.')
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/** "--map Effusion=Pleural Effusion" (repeatable): prediction label = reference label. */
export function parseMapping(items: string[] | undefined): Record<string, string> | undefined {
  if (!items?.length) return undefined
  const out: Record<string, string> = {}
  for (const item of items) {
    const i = item.indexOf('=')
    if (i <= 0 || i === item.length - 1) {
      throw new AppError('invalid_input', `Bad --map "${item}".`, 'Write it as PREDICTION_LABEL=REFERENCE_LABEL, e.g. --map "Effusion=Pleural Effusion".')
    }
    out[item.slice(0, i).trim()] = item.slice(i + 1).trim()
  }
  return out
}

function int(name: string, v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n)) throw new AppError('invalid_input', `${name} must be a whole number, got "${v}".`)
  return n
}

function evalOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--ref <source>', 'reference source (name or id), e.g. curated labels')
    .addOption(new Option('--uncertain <policy>', 'how uncertain labels count').choices([...UNCERTAIN_POLICIES]).default('exclude'))
    .option('--map <pred=ref>', 'label mapping between label sets (repeatable), e.g. "Effusion=Pleural Effusion"', collect)
    .option('--resamples <n>', 'bootstrap resamples for the 95% intervals (0: none)', '1000')
    .option('--seed <s>', 'bootstrap seed (same seed, same intervals)', '42')
    .option('--json', 'print one JSON object')
    .option('--html <file>', 'also write the self-contained HTML report')
    .option('--pdf <file>', 'also write the report as PDF (needs a local Chromium)')
    .option('--title <text>', 'title of the HTML/PDF report')
    .option('--force', 'overwrite existing report files')
}

const f3 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(3))
const ciText = (iv: Interval | null | undefined): string =>
  iv && iv.low !== null && iv.high !== null ? `[${iv.low.toFixed(3)}, ${iv.high.toFixed(3)}]` : ''

/** The documented --json shape (n_reports, micro, macro, labels) plus intervals and provenance. */
export function evaluationJson(ev: StoreEvaluation, s = 0): Record<string, unknown> {
  const r = ev.comparison.results[s]
  return {
    n_reports: ev.nReports,
    reference: ev.reference.name,
    prediction: ev.predictions[s].name,
    uncertain: ev.settings.uncertain,
    micro: {
      precision: r.micro.precision,
      recall: r.micro.recall,
      f1: r.micro.f1,
      tp: r.micro.tp,
      fp: r.micro.fp,
      fn: r.micro.fn,
      tn: r.micro.tn,
      ci: r.micro.ci
    },
    macro: { precision: r.macro.precision, recall: r.macro.recall, f1: r.macro.f1, labels: r.macro.labels, ci: r.macro.ci },
    labels: r.labels.map((l) => ({
      label: l.label,
      precision: l.precision,
      recall: l.recall,
      f1: l.f1,
      support: l.support,
      tp: l.tp,
      fp: l.fp,
      fn: l.fn,
      tn: l.tn,
      excluded: l.excluded,
      ci: l.ci
    })),
    bootstrap: r.bootstrap,
    label_pairs: ev.labelPairs[s],
    unmatched_reference_labels: ev.unmatchedRef,
    unmatched_prediction_labels: ev.unmatchedPred[s],
    coverage: { reference: ev.coverage.reference, prediction: ev.coverage.predictions[s] },
    provenance: { reference: ev.reference, prediction: ev.predictions[s] },
    warnings: ev.warnings
  }
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n)
}

function evaluationLines(ev: StoreEvaluation): string[] {
  const r = ev.comparison.results[0]
  const w = Math.max(12, ...r.labels.map((l) => l.label.length)) + 2
  const lines = [
    `${ev.predictions[0].name} against ${ev.reference.name}: ${ev.nReports} reports covered by both ` +
      `(reference ${ev.coverage.reference}, prediction ${ev.coverage.predictions[0]}); uncertain: ${ev.settings.uncertain}` +
      (r.bootstrap ? `; 95% bootstrap intervals, ${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}` : ''),
    '',
    `${pad('label', w)}${pad('precision', 10, true)}${pad('recall', 10, true)}${pad('F1', 8, true)}  ${pad('F1 95% CI', 16)}${pad('support', 8, true)}${pad('TP', 7, true)}${pad('FP', 7, true)}${pad('FN', 7, true)}${pad('TN', 8, true)}`
  ]
  for (const l of r.labels) {
    lines.push(
      `${pad(l.label, w)}${pad(f3(l.precision), 10, true)}${pad(f3(l.recall), 10, true)}${pad(f3(l.f1), 8, true)}  ${pad(ciText(l.ci?.f1), 16)}${pad(String(l.support), 8, true)}${pad(String(l.tp), 7, true)}${pad(String(l.fp), 7, true)}${pad(String(l.fn), 7, true)}${pad(String(l.tn), 8, true)}`
    )
  }
  lines.push(
    '',
    `micro  precision ${f3(r.micro.precision)} ${ciText(r.micro.ci?.precision)}  recall ${f3(r.micro.recall)} ${ciText(r.micro.ci?.recall)}  F1 ${f3(r.micro.f1)} ${ciText(r.micro.ci?.f1)}`,
    `macro  F1 ${f3(r.macro.f1)} ${ciText(r.macro.ci?.f1)} over ${r.macro.labels} labels with a defined F1`
  )
  const mapped = ev.labelPairs[0].filter((p) => p.how !== 'exact')
  if (mapped.length) lines.push(`label mapping: ${mapped.map((p) => `${p.pred} -> ${p.ref} (${p.how})`).join('; ')}`)
  if (ev.unmatchedRef.length) lines.push(`reference labels not evaluated (no counterpart): ${ev.unmatchedRef.join(', ')}`)
  for (const w of ev.warnings) lines.push(`Note: ${w}`)
  return lines
}

function comparisonLines(ev: StoreEvaluation): string[] {
  const names = ev.predictions.map((p) => p.name)
  const cw = Math.max(14, ...names.map((n) => n.length + 2))
  const { results, differences } = ev.comparison
  const w = Math.max(12, ...ev.labels.map((l) => l.length)) + 2
  const lines = [
    `${names.join(', ')} against ${ev.reference.name} on the ${ev.nReports} reports all of them cover; uncertain: ${ev.settings.uncertain}`,
    '',
    `F1 per label${' '.repeat(Math.max(0, w - 12))}${names.map((n) => pad(n, cw, true)).join('')}`
  ]
  ev.labels.forEach((label, l) => lines.push(`${pad(label, w)}${results.map((r) => pad(f3(r.labels[l].f1), cw, true)).join('')}`))
  lines.push(
    `${pad('micro F1', w)}${results.map((r) => pad(f3(r.micro.f1), cw, true)).join('')}`,
    `${pad('macro F1', w)}${results.map((r) => pad(f3(r.macro.f1), cw, true)).join('')}`,
    ''
  )
  for (const d of differences) {
    const p = (x: number | null) => (x === null ? 'n/a' : x < 0.001 ? '<0.001' : x.toFixed(3))
    const sign = (v: number | null) => (v === null ? 'n/a' : (v >= 0 ? '+' : '') + v.toFixed(3))
    lines.push(
      `${names[d.source]} - ${names[d.baseline]}: micro F1 ${sign(d.micro.f1.value)} ${ciText(d.micro.f1.ci)} p ${p(d.micro.f1.p)}; ` +
        `macro F1 ${sign(d.macro.f1.value)} ${ciText(d.macro.f1.ci)} p ${p(d.macro.f1.p)} (paired bootstrap)`
    )
  }
  for (const w of ev.warnings) lines.push(`Note: ${w}`)
  return lines
}

async function writeReports(opts: EvalCliOptions, input: CallParsed<'evaluate.reportHtml'>, session: Parameters<Parameters<typeof withSession>[1]>[0]): Promise<string[]> {
  const written: string[] = []
  if (!opts.html && !opts.pdf) return written
  const { html } = await evaluationHtml(session.ctx, input)
  if (opts.html) {
    const file = assertWritable(opts.html, opts.force ?? false)
    writeFileSync(file, html, 'utf8')
    written.push(`HTML report: ${file}`)
  }
  if (opts.pdf) {
    const file = assertWritable(opts.pdf, opts.force ?? false)
    await writePdf(html, file, chromiumPdfRenderer())
    written.push(`PDF report: ${file}`)
  }
  return written
}

function callInput(opts: EvalCliOptions, agreement: boolean): CallParsed<'evaluate.reportHtml'> {
  return {
    pred: opts.pred,
    ref: opts.ref,
    uncertain: opts.uncertain,
    mapping: parseMapping(opts.map),
    resamples: int('--resamples', opts.resamples),
    seed: int('--seed', opts.seed),
    confidence: 0.95,
    title: opts.title,
    agreement
  }
}

export function registerEval(program: Command): void {
  evalOptions(
    program
      .command('eval')
      .description('Evaluate a prediction source against a reference source: per-label and micro/macro precision, recall, F1 with 95% bootstrap intervals.')
      .requiredOption('--pred <source>', 'prediction source (name or id): a run or imported labels', (v: string) => [v])
  ).action(async (opts: EvalCliOptions) => {
    requireWorkspace(opts.db)
    await withSession(opts.db, async (session) => {
      const input = callInput(opts, false)
      const ev = await callOrThrow<StoreEvaluation>(session, 'evaluate.run', input)
      // Numbers first: a report that cannot be written (e.g. no Chromium for the PDF) loses nothing.
      if (opts.json) printJson(evaluationJson(ev))
      else printLines(evaluationLines(ev))
      const written = await writeReports(opts, input, session)
      if (written.length) (opts.json ? process.stderr : process.stdout).write(written.join('\n') + '\n')
    }, { allowReadOnly: true })
  })

  addStudentTeacherOptions(evalOptions(
    program
      .command('compare')
      .description('Compare several prediction sources against one reference side by side, with paired bootstrap intervals of the differences from the first (baseline). With --student/--teacher: a trained adapter against its base model and its teacher.')
      .option('--pred <source>', 'prediction source (repeat: the first is the baseline)', collect)
  )).action(async (opts: EvalCliOptions & StudentTeacherCli) => {
    requireWorkspace(opts.db)
    if (opts.student) return runStudentTeacherCli(opts)
    if (!opts.pred || opts.pred.length < 2) throw new AppError('invalid_input', 'compare needs at least two --pred sources.', 'Use `radlabel eval` for one source.')
    await withSession(opts.db, async (session) => {
      const input = callInput(opts, true)
      const ev = await callOrThrow<StoreEvaluation>(session, 'evaluate.run', input)
      if (opts.json) {
        printJson({
          n_reports: ev.nReports,
          reference: ev.reference.name,
          uncertain: ev.settings.uncertain,
          labels: ev.labels,
          sources: ev.predictions.map((_, s) => evaluationJson(ev, s)),
          differences: ev.comparison.differences.map((d) => ({
            source: ev.predictions[d.source].name,
            baseline: ev.predictions[d.baseline].name,
            micro: d.micro,
            macro: d.macro,
            labels: d.labels
          })),
          bootstrap: ev.comparison.bootstrap,
          warnings: ev.warnings
        })
      } else printLines(comparisonLines(ev))
      const written = await writeReports(opts, input, session)
      if (written.length) (opts.json ? process.stderr : process.stdout).write(written.join('\n') + '\n')
    }, { allowReadOnly: true })
  })

  program
    .command('agree')
    .description("Agreement between two sources without a reference: percent agreement and Cohen's kappa (binary and 4-state).")
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--a <source>', 'first source (name or id)')
    .requiredOption('--b <source>', 'second source (name or id)')
    .addOption(new Option('--uncertain <policy>', 'how uncertain counts in the binary kappa').choices([...UNCERTAIN_POLICIES]).default('exclude'))
    .option('--map <a=b>', 'label mapping from A to B (repeatable)', collect)
    .option('--resamples <n>', 'bootstrap resamples for kappa intervals', '1000')
    .option('--seed <s>', 'bootstrap seed', '42')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; a: string; b: string; uncertain: EvalCliOptions['uncertain']; map?: string[]; resamples: string; seed: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const res = await callOrThrow<StoreAgreement>(session, 'evaluate.agreement', {
          a: opts.a,
          b: opts.b,
          uncertain: opts.uncertain,
          mapping: parseMapping(opts.map),
          resamples: int('--resamples', opts.resamples),
          seed: int('--seed', opts.seed)
        })
        if (opts.json) return printJson(res)
        const w = Math.max(12, ...res.labels.map((l) => l.label.length)) + 2
        const row = (name: string, x: (typeof res.labels)[number]['binary'], y: (typeof res.labels)[number]['binary']) =>
          `${pad(name, w)}${pad(f3(x.kappa), 8, true)} ${pad(ciText(x.kappaCi), 17)}${pad(x.agreement === null ? 'n/a' : (100 * x.agreement).toFixed(1) + '%', 8, true)}${pad(f3(y.kappa), 10, true)}${pad(y.agreement === null ? 'n/a' : (100 * y.agreement).toFixed(1) + '%', 9, true)}`
        printLines([
          `${res.a.name} vs ${res.b.name}: ${res.nReports} reports covered by both; uncertain: ${res.uncertain}`,
          '',
          `${pad('label', w)}${pad('kappa', 8, true)} ${pad('95% CI', 17)}${pad('agree', 8, true)}${pad('4-state κ', 10, true)}${pad('agree', 9, true)}`,
          ...res.labels.map((l) => row(l.label, l.binary, l.fourState)),
          row('all labels', res.overall.binary, res.overall.fourState)
        ])
      }, { allowReadOnly: true })
    })
}
