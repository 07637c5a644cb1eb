// Evaluation of prediction sources against one reference: point estimates plus percentile bootstrap
// intervals over reports, and paired intervals for the difference between sources.
import { MIN_REPORTS_FOR_STATISTICS } from './defaults'
import { countOutcomes, labelMetrics, summarise, type LabelMetrics, type SummaryMetrics } from './metrics'
import {
  buildContributions,
  drain,
  percentileInterval,
  resampleSteps,
  type Interval,
  type SparseContributions
} from './resample'
import { OUT_FN, OUT_FP, OUT_TP, outcomeMatrix, type StateMatrix, type UncertainPolicy } from './states'

export const DEFAULT_RESAMPLES = 1000
export const DEFAULT_SEED = 42
export const DEFAULT_CONFIDENCE = 0.95

export interface EvaluateOptions {
  uncertain: UncertainPolicy
  /** Bootstrap resamples; 0 skips intervals. Default 1,000. */
  resamples?: number
  seed?: number
  confidence?: number
}

export interface BootstrapSettings {
  resamples: number
  seed: number
  confidence: number
  method: 'percentile bootstrap over reports'
}

export interface PrfIntervals {
  precision: Interval
  recall: Interval
  f1: Interval
}

export interface LabelResult extends LabelMetrics {
  ci: PrfIntervals | null
}

export interface EvaluationResult {
  nReports: number
  uncertain: UncertainPolicy
  labels: LabelResult[]
  micro: SummaryMetrics['micro'] & { ci: PrfIntervals | null }
  macro: SummaryMetrics['macro'] & { ci: PrfIntervals | null }
  bootstrap: BootstrapSettings | null
}

export interface Difference {
  /** Other source minus baseline; null when undefined for either. */
  value: number | null
  ci: Interval | null
  /** Approximate two-sided bootstrap p-value of "no difference" (2 x the smaller tail share, capped at 1). */
  p: number | null
}

export interface SourceDifferences {
  /** Index (in the compared list) of the source compared with the baseline. */
  source: number
  baseline: number
  labels: Array<{ label: string; f1: Difference; precision: Difference; recall: Difference }>
  micro: { f1: Difference; precision: Difference; recall: Difference }
  macro: { f1: Difference }
}

export interface ComparisonResult {
  nReports: number
  results: EvaluationResult[]
  differences: SourceDifferences[]
  bootstrap: BootstrapSettings | null
}

/** Sparse TP/FP/FN contributions per report; code = label * 3 + (0 TP | 1 FP | 2 FN). */
export function outcomeContributions(outcomes: Uint8Array, nReports: number, nLabels: number): SparseContributions {
  const codeOf = (r: number, l: number): number => {
    const o = outcomes[r * nLabels + l]
    return o === OUT_TP ? l * 3 : o === OUT_FP ? l * 3 + 1 : o === OUT_FN ? l * 3 + 2 : -1
  }
  return buildContributions(nReports, nLabels * 3, nLabels, codeOf)
}

/** Statistic layout per resample: per label P, R, F1 (3L), then micro P, R, F1, then macro P, R, F1. */
function statCount(nLabels: number): number {
  return nLabels * 3 + 6
}

function writeStats(counts: Int32Array, nLabels: number, out: Float64Array, b: number, B: number): void {
  let tp = 0
  let fp = 0
  let fn = 0
  let sp = 0
  let kp = 0
  let sr = 0
  let kr = 0
  let sf = 0
  let kf = 0
  for (let l = 0; l < nLabels; l++) {
    const t = counts[l * 3]
    const p = counts[l * 3 + 1]
    const f = counts[l * 3 + 2]
    tp += t
    fp += p
    fn += f
    const prec = t + p === 0 ? NaN : t / (t + p)
    const rec = t + f === 0 ? NaN : t / (t + f)
    const f1 = 2 * t + p + f === 0 ? NaN : (2 * t) / (2 * t + p + f)
    out[(l * 3) * B + b] = prec
    out[(l * 3 + 1) * B + b] = rec
    out[(l * 3 + 2) * B + b] = f1
    if (!Number.isNaN(prec)) {
      sp += prec
      kp++
    }
    if (!Number.isNaN(rec)) {
      sr += rec
      kr++
    }
    if (!Number.isNaN(f1)) {
      sf += f1
      kf++
    }
  }
  const m = nLabels * 3
  out[m * B + b] = tp + fp === 0 ? NaN : tp / (tp + fp)
  out[(m + 1) * B + b] = tp + fn === 0 ? NaN : tp / (tp + fn)
  out[(m + 2) * B + b] = 2 * tp + fp + fn === 0 ? NaN : (2 * tp) / (2 * tp + fp + fn)
  out[(m + 3) * B + b] = kp === 0 ? NaN : sp / kp
  out[(m + 4) * B + b] = kr === 0 ? NaN : sr / kr
  out[(m + 5) * B + b] = kf === 0 ? NaN : sf / kf
}

function column(stats: Float64Array, s: number, B: number): Float64Array {
  return stats.subarray(s * B, (s + 1) * B)
}

function prfIntervals(stats: Float64Array, first: number, B: number, conf: number): PrfIntervals {
  return {
    precision: percentileInterval(column(stats, first, B), conf),
    recall: percentileInterval(column(stats, first + 1, B), conf),
    f1: percentileInterval(column(stats, first + 2, B), conf)
  }
}

function pointResult(
  outcomes: Uint8Array,
  labels: string[],
  nReports: number,
  uncertain: UncertainPolicy
): EvaluationResult {
  const per = labelMetrics(labels, countOutcomes(outcomes, labels.length))
  const sum = summarise(per)
  return {
    nReports,
    uncertain,
    labels: per.map((m) => ({ ...m, ci: null })),
    micro: { ...sum.micro, ci: null },
    macro: { ...sum.macro, ci: null },
    bootstrap: null
  }
}

function settings(opts: EvaluateOptions): BootstrapSettings {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES
  if (!Number.isInteger(resamples) || resamples < 0) {
    throw new Error(`evaluation: resamples must be a whole number >= 0, got ${resamples}`)
  }
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE
  if (!(confidence > 0 && confidence < 1)) throw new Error(`evaluation: confidence must be in (0, 1), got ${confidence}`)
  return { resamples, seed: opts.seed ?? DEFAULT_SEED, confidence, method: 'percentile bootstrap over reports' }
}

function difference(a: Float64Array, b: Float64Array, pointA: number | null, pointB: number | null, conf: number): Difference {
  const d = new Float64Array(a.length)
  let le = 0
  let ge = 0
  let k = 0
  for (let i = 0; i < a.length; i++) {
    d[i] = b[i] - a[i]
    if (Number.isNaN(d[i])) continue
    k++
    if (d[i] <= 0) le++
    if (d[i] >= 0) ge++
  }
  const value = pointA === null || pointB === null ? null : pointB - pointA
  return {
    value,
    ci: a.length === 0 ? null : percentileInterval(d, conf),
    p: k === 0 ? null : Math.min(1, (2 * Math.min(le, ge)) / k)
  }
}

/**
 * Evaluates every prediction against the same reference on the same reports, with one shared set of
 * bootstrap resamples, and the paired differences of each source against `baseline` (default the first).
 */
export function compareSources(
  preds: StateMatrix[],
  ref: StateMatrix,
  opts: EvaluateOptions & { baseline?: number }
): ComparisonResult {
  return drain(compareSourcesSteps(preds, ref, opts))
}

/** `compareSources` one bootstrap resample per step (drive it with `drain` or `drainAsync`). */
export function* compareSourcesSteps(
  preds: StateMatrix[],
  ref: StateMatrix,
  opts: EvaluateOptions & { baseline?: number }
): Generator<number, ComparisonResult> {
  const set = settings(opts)
  const L = ref.labels.length
  const n = ref.nReports
  const outcomes = preds.map((p) => outcomeMatrix(p, ref, opts.uncertain))
  const results = outcomes.map((o) => pointResult(o, ref.labels, n, opts.uncertain))
  const B = set.resamples
  const S = statCount(L)
  const stats = preds.map(() => new Float64Array(S * B))
  if (B > 0 && n > 0) {
    const contrib = outcomes.map((o) => outcomeContributions(o, n, L))
    yield* resampleSteps(contrib, set, (b, counts) => {
      for (let s = 0; s < counts.length; s++) writeStats(counts[s], L, stats[s], b, B)
    })
    results.forEach((res, s) => {
      res.bootstrap = set
      res.labels.forEach((lab, l) => (lab.ci = prfIntervals(stats[s], l * 3, B, set.confidence)))
      res.micro.ci = prfIntervals(stats[s], L * 3, B, set.confidence)
      res.macro.ci = prfIntervals(stats[s], L * 3 + 3, B, set.confidence)
    })
  }
  const baseline = opts.baseline ?? 0
  if (preds.length > 0 && (baseline < 0 || baseline >= preds.length)) {
    throw new Error(`compareSources: baseline index ${baseline} is outside 0..${preds.length - 1}`)
  }
  const differences: SourceDifferences[] = []
  const conf = set.confidence
  for (let s = 0; s < preds.length; s++) {
    if (s === baseline) continue
    const A = stats[baseline]
    const Bs = stats[s]
    const ra = results[baseline]
    const rb = results[s]
    const diff = (stat: number, pa: number | null, pb: number | null): Difference =>
      B > 0 && n > 0 ? difference(column(A, stat, B), column(Bs, stat, B), pa, pb, conf) : difference(new Float64Array(0), new Float64Array(0), pa, pb, conf)
    differences.push({
      source: s,
      baseline,
      labels: ref.labels.map((label, l) => ({
        label,
        precision: diff(l * 3, ra.labels[l].precision, rb.labels[l].precision),
        recall: diff(l * 3 + 1, ra.labels[l].recall, rb.labels[l].recall),
        f1: diff(l * 3 + 2, ra.labels[l].f1, rb.labels[l].f1)
      })),
      micro: {
        precision: diff(L * 3, ra.micro.precision, rb.micro.precision),
        recall: diff(L * 3 + 1, ra.micro.recall, rb.micro.recall),
        f1: diff(L * 3 + 2, ra.micro.f1, rb.micro.f1)
      },
      macro: { f1: diff(L * 3 + 5, ra.macro.f1, rb.macro.f1) }
    })
  }
  return { nReports: n, results, differences, bootstrap: B > 0 ? set : null }
}

/** Evaluates one prediction source against a reference (point estimates + bootstrap intervals). */
export function evaluate(pred: StateMatrix, ref: StateMatrix, opts: EvaluateOptions): EvaluationResult {
  return compareSources([pred], ref, opts).results[0]
}

export const RARE_LABEL_SUPPORT = 10

/** Cautions a quality lead should read before presenting a comparison. */
export function evaluationWarnings(c: ComparisonResult, resamples: number): string[] {
  const out: string[] = []
  if (c.nReports === 0) return ['No report is labelled by the reference and every prediction source: there is nothing to measure.']
  if (c.nReports < MIN_REPORTS_FOR_STATISTICS) {
    // without resamples there are no intervals to call unreliable: the figures themselves are
    out.push(
      resamples > 0
        ? `Only ${c.nReports} reports are covered by every source: intervals and differences are unreliable at this size ` +
            '(a bootstrap of few reports understates the uncertainty). Review more reports before drawing conclusions.'
        : `Only ${c.nReports} reports are covered by every source: the figures and differences are unreliable at this size. ` +
            'Review more reports before drawing conclusions.'
    )
  }
  const first = c.results[0]
  if (first) {
    const rare = first.labels.filter((l) => l.support < RARE_LABEL_SUPPORT && (l.support > 0 || l.predicted > 0))
    if (rare.length) {
      out.push(
        `Fewer than ${RARE_LABEL_SUPPORT} reference positives for ${rare.map((l) => `${l.label} (${l.support})`).join(', ')}: ` +
          'their precision, recall and F1 rest on very few reports.'
      )
    }
    const none = first.labels.filter((l) => l.f1 === null).map((l) => l.label)
    if (none.length) out.push(`No positives on either side for ${none.join(', ')}: no F1, left out of the macro average.`)
  }
  if (resamples > 0 && resamples < 1000) out.push(`Only ${resamples} bootstrap resamples: interval ends vary with the seed; use at least 1,000 to report.`)
  return out
}
