// Evaluation over the store: prediction source(s) against a reference source on the reports they all
// cover, with label sets aligned; agreement between two sources; the reports behind one cell.
import {
  agreementSteps,
  alignLabels,
  chexbertF1,
  openEndedF1,
  positivesAsPresent,
  type LiteratureMetrics,
  type StateMatrix,
  commonReportIds,
  compareSourcesSteps,
  drain,
  drainAsync,
  evaluationWarnings,
  CODE_STATE,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  outcomeMatrix,
  OUTCOME_NAMES,
  selectRows,
  type AgreementResult,
  type CasesResult,
  type ComparisonResult,
  type EvaluationReportInput,
  type StoreAgreement,
  type StoreEvaluation,
  type LabelMapping,
  type LabelPair,
  type OutcomeName,
  type ReportsDescription,
  type UncertainPolicy
} from '../../common/eval'
import { AppError } from '../../common/errors'
import type { Evidence } from '../../common/types'
import type { Db } from '../store/db'
import { mapPhrase } from '../engines/llm/mapPhrase'
import { getLabelSet } from '../store/repos/labelSets'
import { loadSource, sourceProvenance, type LoadedSource } from './load-source'

export interface EvaluateRequest {
  /** One or more prediction sources (name or id); with several, the first is the baseline of the differences. */
  pred: Array<string | number>
  ref: string | number
  uncertain: UncertainPolicy
  /** Prediction label name -> reference label name, for names the automatic matching does not pair. */
  mapping?: LabelMapping
  resamples?: number
  seed?: number
  confidence?: number
}

interface Prepared {
  ref: LoadedSource
  preds: LoadedSource[]
  pairs: LabelPair[][]
  unmatchedPred: string[][]
  labels: string[]
  unmatchedRef: string[]
  reportIds: number[]
}

function prepare(db: Db, predRefs: Array<string | number>, refRef: string | number, mapping: LabelMapping = {}): Prepared {
  if (predRefs.length === 0) {
    throw new AppError('invalid_input', 'No prediction source was given.', 'Choose at least one source to evaluate.')
  }
  const ref = loadSource(db, refRef)
  const preds = predRefs.map((p) => loadSource(db, p))
  for (const [p, r] of Object.entries(mapping)) {
    if (!preds.some((s) => s.labels.includes(p))) {
      throw new AppError(
        'invalid_input',
        `Label mapping names "${p}", which no prediction source has.`,
        `Labels of ${preds[0].info.name}: ${preds[0].labels.join(', ')}.`
      )
    }
    if (!ref.labels.includes(r)) {
      throw new AppError(
        'invalid_input',
        `Label mapping names "${r}", which the reference source ${ref.info.name} does not have.`,
        `Reference labels: ${ref.labels.join(', ')}.`
      )
    }
  }
  const alignments = preds.map((p) => {
    const own = Object.fromEntries(Object.entries(mapping).filter(([k]) => p.labels.includes(k)))
    return alignLabels(p.labels, ref.labels, { mapping: own })
  })
  const labels = ref.labels.filter((r) => alignments.every((a) => a.pairs.some((x) => x.ref === r)))
  if (labels.length === 0) {
    throw new AppError(
      'invalid_input',
      `No label of the reference ${ref.info.name} has a counterpart in ${preds.map((p) => p.info.name).join(', ')}.`,
      'Give a label mapping (prediction label -> reference label), e.g. --map "Effusion=Pleural Effusion".'
    )
  }
  const reportIds = commonReportIds([ref.data.reportIds, ...preds.map((p) => p.data.reportIds)])
  return {
    ref,
    preds,
    pairs: alignments.map((a) => a.pairs.filter((x) => labels.includes(x.ref))),
    unmatchedPred: alignments.map((a) => a.unmatchedPred),
    labels,
    unmatchedRef: ref.labels.filter((r) => !labels.includes(r)),
    reportIds
  }
}

function predColumns(p: Prepared, s: number): string[] {
  return p.labels.map((r) => p.pairs[s].find((x) => x.ref === r)!.pred)
}

function settingsOf(req: { uncertain: UncertainPolicy; resamples?: number; seed?: number; confidence?: number }) {
  return {
    uncertain: req.uncertain,
    resamples: req.resamples ?? DEFAULT_RESAMPLES,
    seed: req.seed ?? DEFAULT_SEED,
    confidence: req.confidence ?? DEFAULT_CONFIDENCE
  }
}

/** Pauses between bootstrap steps; the services pass `yieldToEventLoop` so the main process stays responsive. */
export type Pause = () => Promise<void>

/** Loads and aligns the sources (synchronous, bounded by one read of each source), then bootstraps stepwise. */
function* evaluationSteps(db: Db, req: EvaluateRequest): Generator<number, StoreEvaluation> {
  const p = prepare(db, req.pred, req.ref, req.mapping)
  const settings = settingsOf(req)
  const refM = selectRows(p.ref.data, p.reportIds, p.labels, p.labels)
  const predMs = p.preds.map((s, i) => selectRows(s.data, p.reportIds, p.labels, predColumns(p, i)))
  let comparison: ComparisonResult
  try {
    comparison = yield* compareSourcesSteps(predMs, refM, settings)
  } catch (err) {
    throw new AppError('invalid_input', (err as Error).message, 'Check --resamples (a whole number >= 0) and the confidence level.')
  }
  return {
    nReports: p.reportIds.length,
    labels: p.labels,
    literature: predMs.map((m, i) => literatureMetrics(db, p, i, m, refM, settings.uncertain)),
    reference: sourceProvenance(db, p.ref.info),
    predictions: p.preds.map((s) => sourceProvenance(db, s.info)),
    labelPairs: p.pairs,
    unmatchedPred: p.unmatchedPred,
    unmatchedRef: p.unmatchedRef,
    coverage: { reference: p.ref.data.reportIds.length, predictions: p.preds.map((s) => s.data.reportIds.length) },
    data: describeReports(db, p.reportIds),
    settings,
    comparison,
    warnings: evaluationWarnings(comparison, settings.resamples)
  }
}

/**
 * CheXbert-style class F1 and the open-ended micro-F1 of prediction source `s`. Open-ended answers are the
 * source's stored findings mapped onto its label set (as the llm engine maps them); a source without
 * findings (rules, imported labels) answers with its positive labels.
 */
function literatureMetrics(db: Db, p: Prepared, s: number, predM: StateMatrix, refM: StateMatrix, uncertain: UncertainPolicy): LiteratureMetrics {
  const src = p.preds[s]!
  const L = p.labels.length
  const hasFindings = db.prepare('SELECT 1 FROM findings WHERE source_id = ? LIMIT 1').get(src.info.id) !== undefined
  let present: Uint8Array
  if (hasFindings) {
    present = new Uint8Array(p.reportIds.length * L)
    const definition = getLabelSet(db, src.info.labelSetId).definition
    const col = new Map(predColumns(p, s).map((name, l) => [name, l]))
    const row = new Map(p.reportIds.map((id, r) => [id, r]))
    const phrases = db.prepare('SELECT report_id, phrase FROM findings WHERE source_id = ?').raw().iterate(src.info.id) as Iterable<[number, string]>
    for (const [reportId, phrase] of phrases) {
      const r = row.get(reportId)
      if (r === undefined) continue
      for (const label of mapPhrase(phrase, definition)) {
        const l = col.get(label)
        if (l !== undefined) present[r * L + l] = 1
      }
    }
  } else present = positivesAsPresent(predM)
  return { chexbert: chexbertF1(predM, refM), openEnded: { ...openEndedF1(present, refM, uncertain), from: hasFindings ? 'findings' : 'positive labels' } }
}

/** Study date range, import batches and modalities of the evaluated reports (queried in chunks of ids). */
export function describeReports(db: Db, ids: number[]): ReportsDescription {
  let first: string | null = null
  let last: string | null = null
  let withDate = 0
  const batches = new Map<string, number>()
  const modalities = new Map<string, number>()
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    const rows = db
      .prepare(
        `SELECT r.study_date, r.modality, b.name FROM reports r LEFT JOIN import_batches b ON b.id = r.batch_id
         WHERE r.id IN (${chunk.map(() => '?').join(',')})`
      )
      .raw()
      .all(...chunk) as Array<[string | null, string | null, string | null]>
    for (const [date, modality, batch] of rows) {
      if (date) {
        withDate++
        if (first === null || date < first) first = date
        if (last === null || date > last) last = date
      }
      if (batch) batches.set(batch, (batches.get(batch) ?? 0) + 1)
      if (modality) modalities.set(modality, (modalities.get(modality) ?? 0) + 1)
    }
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])
  return {
    studyDates: first !== null && last !== null ? { first, last, withDate } : null,
    batches: sorted(batches).map(([name, reports]) => ({ name, reports })),
    modalities: sorted(modalities).map(([modality, reports]) => ({ modality, reports }))
  }
}

export function evaluateSources(db: Db, req: EvaluateRequest): StoreEvaluation {
  return drain(evaluationSteps(db, req))
}

/** Hooks of a stepwise evaluation run as a job: resamples done of total, and a stop signal. */
export interface EvaluationHooks {
  /** Called after each bootstrap resample with the number done and the total. */
  onResample?: (done: number, total: number) => void
  /** Checked between resamples; when aborted, the evaluation throws. */
  signal?: AbortSignal
}

export function evaluateSourcesAsync(
  db: Db,
  req: EvaluateRequest,
  pause?: Pause,
  hooks: EvaluationHooks = {}
): Promise<StoreEvaluation> {
  if (!hooks.onResample && !hooks.signal) return drainAsync(evaluationSteps(db, req), pause)
  const total = settingsOf(req).resamples
  return drainAsync(tapSteps(evaluationSteps(db, req), total, hooks), pause)
}

function* tapSteps<T>(steps: Generator<number, T>, total: number, hooks: EvaluationHooks): Generator<number, T> {
  let r = steps.next()
  while (!r.done) {
    if (hooks.signal?.aborted) throw new AppError('cancelled', 'The evaluation was stopped.')
    hooks.onResample?.(r.value + 1, total)
    yield r.value
    r = steps.next()
  }
  return r.value
}

/** Inputs of the HTML report for a store evaluation (plus agreement of the first two sources, if asked). */
export function reportInput(
  ev: StoreEvaluation,
  extra: { generatedAt?: string; workspace?: string; appVersion?: string; title?: string; agreement?: AgreementResult } = {}
): EvaluationReportInput {
  const d = ev.data
  const notes: string[] = [
    `The reference ${ev.reference.name} covers ${ev.coverage.reference} reports; ` +
      ev.predictions.map((p, i) => `${p.name} covers ${ev.coverage.predictions[i]}`).join('; ') + '.',
    ...(d.studyDates ? [`Study dates from ${d.studyDates.first} to ${d.studyDates.last} (${d.studyDates.withDate} of ${ev.nReports} reports dated).`] : []),
    ...(d.batches.length ? [`Imported from: ${d.batches.slice(0, 8).map((b) => `${b.name} (${b.reports})`).join(', ')}${d.batches.length > 8 ? ', …' : ''}.`] : []),
    ...(d.modalities.length ? [`Modalities: ${d.modalities.slice(0, 8).map((m) => `${m.modality} (${m.reports})`).join(', ')}.`] : [])
  ]
  const pairs = ev.labelPairs.flatMap((ps, i) =>
    ps.filter((x) => x.how !== 'exact').map((x) => ({ ...x, pred: ev.predictions.length > 1 ? `${ev.predictions[i].name}: ${x.pred}` : x.pred }))
  )
  return {
    title: extra.title,
    generatedAt: extra.generatedAt ?? new Date().toISOString(),
    workspace: extra.workspace,
    appVersion: extra.appVersion,
    data: {
      nReports: ev.nReports,
      notes,
      warnings: ev.warnings,
      labelPairs: [...pairs, ...ev.labels.filter((l) => !pairs.some((x) => x.ref === l)).map((l) => ({ pred: l, ref: l, label: l, how: 'exact' as const }))],
      unmatchedPred: [...new Set(ev.unmatchedPred.flat())],
      unmatchedRef: ev.unmatchedRef
    },
    settings: ev.settings,
    reference: ev.reference,
    predictions: ev.predictions,
    comparison: ev.comparison,
    literature: ev.literature,
    agreement: extra.agreement
  }
}

export interface AgreementRequest {
  a: string | number
  b: string | number
  uncertain: UncertainPolicy
  /** Label name in A -> label name in B. */
  mapping?: LabelMapping
  resamples?: number
  seed?: number
  confidence?: number
}

function* agreementBetweenSteps(db: Db, req: AgreementRequest): Generator<number, StoreAgreement> {
  const p = prepare(db, [req.a], req.b, req.mapping)
  const s = settingsOf(req)
  const bM = selectRows(p.ref.data, p.reportIds, p.labels, p.labels)
  const aM = selectRows(p.preds[0].data, p.reportIds, p.labels, predColumns(p, 0))
  const res = yield* agreementSteps(aM, bM, s)
  return { ...res, a: sourceProvenance(db, p.preds[0].info), b: sourceProvenance(db, p.ref.info), labelPairs: p.pairs[0] }
}

/** Agreement (percent, Cohen's kappa binary and 4-state) between two sources, no reference needed. */
export function agreementBetween(db: Db, req: AgreementRequest): StoreAgreement {
  return drain(agreementBetweenSteps(db, req))
}

export function agreementBetweenAsync(db: Db, req: AgreementRequest, pause?: Pause): Promise<StoreAgreement> {
  return drainAsync(agreementBetweenSteps(db, req), pause)
}

export interface CasesRequest {
  pred: string | number
  ref: string | number
  uncertain: UncertainPolicy
  mapping?: LabelMapping
  /** Reference label name. */
  label: string
  outcome: OutcomeName
  /** Restrict to the reports covered by these other sources too (so the list matches a comparison table). */
  alsoCoveredBy?: Array<string | number>
  limit?: number
  offset?: number
}

/** The reports behind one cell of the results (e.g. the false positives of Pneumonia). */
export function casesOf(db: Db, req: CasesRequest): CasesResult {
  if (!OUTCOME_NAMES.includes(req.outcome)) {
    throw new AppError('invalid_input', `Unknown outcome "${req.outcome}".`, `Use one of ${OUTCOME_NAMES.join(', ')}.`)
  }
  const p = prepare(db, [req.pred, ...(req.alsoCoveredBy ?? [])], req.ref, req.mapping)
  const l = p.labels.indexOf(req.label)
  if (l < 0) {
    throw new AppError('not_found', `Label "${req.label}" is not among the evaluated labels.`, `Evaluated labels: ${p.labels.join(', ')}.`)
  }
  const predLabel = predColumns(p, 0)[l]
  const refM = selectRows(p.ref.data, p.reportIds, [req.label], [req.label])
  const predM = selectRows(p.preds[0].data, p.reportIds, [req.label], [predLabel])
  const out = outcomeMatrix(predM, refM, req.uncertain)
  const code = OUTCOME_NAMES.indexOf(req.outcome)
  const rows: number[] = []
  for (let i = 0; i < out.length; i++) if (out[i] === code) rows.push(i)
  const offset = Math.max(0, req.offset ?? 0)
  const limit = Math.min(1000, Math.max(1, req.limit ?? 100))
  const page = rows.slice(offset, offset + limit)
  const reportStmt = db.prepare('SELECT report_key AS reportKey, substr(text, 1, 240) AS preview FROM reports WHERE id = ?')
  const evStmt = db.prepare(
    `SELECT sl.evidence_json FROM source_labels sl JOIN labels lb ON lb.id = sl.label_id
     WHERE sl.source_id = ? AND sl.report_id = ? AND lb.name = ?`
  ).pluck()
  const evidence = (sourceId: number, reportId: number, name: string): Evidence[] => {
    const j = evStmt.get(sourceId, reportId, name) as string | null | undefined
    return j ? (JSON.parse(j) as Evidence[]) : []
  }
  const items = page.map((i) => {
    const reportId = p.reportIds[i]
    const r = reportStmt.get(reportId) as { reportKey: string; preview: string }
    return {
      reportId,
      reportKey: r.reportKey,
      preview: r.preview,
      predState: CODE_STATE[predM.states[i]],
      refState: CODE_STATE[refM.states[i]],
      predEvidence: evidence(p.preds[0].info.id, reportId, predLabel),
      refEvidence: evidence(p.ref.info.id, reportId, req.label)
    }
  })
  return { label: req.label, outcome: req.outcome, total: rows.length, offset, items }
}
