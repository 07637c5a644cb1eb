// Metrics the radiology-report labelling literature reports, beside RadLabel's micro/macro F1:
// - CheXbert-style F1 per class (Smit et al. 2020, after Irvin et al. 2019): for each label, the F1 of
//   "positive", "negative" and "uncertain" each against the rest, and of "mention" (any of the three
//   against not mentioned); the label's weighted F1 is the mean of its positive / negative / uncertain F1
//   weighted by their reference support, and the overall weighted F1 the mean of the labels' weighted F1
//   weighted by each label's support (reference reports that mention it).
// - The seed paper's open-ended micro-F1: the findings a model lists, normalised onto the label set, as a
//   set of present labels per report, against the reference's present labels (positive; uncertain as the
//   uncertain policy says), micro-averaged over all report-label cells.
import { ratio } from './metrics'
import { STATE_CODE, type StateMatrix, type UncertainPolicy } from './states'

export interface ClassF1 {
  f1: number | null
  /** Reference cells of this class. */
  support: number
  tp: number
  fp: number
  fn: number
}

export interface ChexbertLabel {
  label: string
  positive: ClassF1
  negative: ClassF1
  uncertain: ClassF1
  mention: ClassF1
  /** Support-weighted mean of positive, negative and uncertain F1; null when the label is never mentioned. */
  weightedF1: number | null
}

export interface ChexbertResult {
  labels: ChexbertLabel[]
  /** Mean of the labels' weighted F1, weighted by their mention support. */
  weightedF1: number | null
  /** Per class: mean over labels whose F1 for that class is defined. */
  macro: { positive: number | null; negative: number | null; uncertain: number | null; mention: number | null }
}

const CLASSES = ['positive', 'negative', 'uncertain'] as const

function classF1(tp: number, fp: number, fn: number): ClassF1 {
  return { f1: ratio(2 * tp, 2 * tp + fp + fn), support: tp + fn, tp, fp, fn }
}

function sameShape(pred: StateMatrix, ref: StateMatrix): void {
  if (pred.nReports !== ref.nReports || pred.labels.length !== ref.labels.length) {
    throw new Error(`literature metrics: prediction ${pred.nReports}x${pred.labels.length} and reference ${ref.nReports}x${ref.labels.length} differ in shape`)
  }
}

export function chexbertF1(pred: StateMatrix, ref: StateMatrix): ChexbertResult {
  sameShape(pred, ref)
  const L = ref.labels.length
  const labels: ChexbertLabel[] = ref.labels.map((label, l) => {
    // counts[class][tp, fp, fn]
    const c = { positive: [0, 0, 0], negative: [0, 0, 0], uncertain: [0, 0, 0], mention: [0, 0, 0] }
    for (let r = 0; r < ref.nReports; r++) {
      const p = pred.states[r * L + l]!
      const t = ref.states[r * L + l]!
      for (const k of CLASSES) {
        const code = STATE_CODE[k]
        if (p === code && t === code) c[k][0]!++
        else if (p === code) c[k][1]!++
        else if (t === code) c[k][2]!++
      }
      const pm = p !== STATE_CODE.not_mentioned
      const tm = t !== STATE_CODE.not_mentioned
      if (pm && tm) c.mention[0]!++
      else if (pm) c.mention[1]!++
      else if (tm) c.mention[2]!++
    }
    const res = {
      label,
      positive: classF1(c.positive[0]!, c.positive[1]!, c.positive[2]!),
      negative: classF1(c.negative[0]!, c.negative[1]!, c.negative[2]!),
      uncertain: classF1(c.uncertain[0]!, c.uncertain[1]!, c.uncertain[2]!),
      mention: classF1(c.mention[0]!, c.mention[1]!, c.mention[2]!)
    }
    let sum = 0
    let weight = 0
    for (const k of CLASSES) {
      if (res[k].support > 0 && res[k].f1 !== null) {
        sum += res[k].f1! * res[k].support
        weight += res[k].support
      }
    }
    return { ...res, weightedF1: weight > 0 ? sum / weight : null }
  })
  let sum = 0
  let weight = 0
  for (const l of labels) {
    if (l.weightedF1 !== null) {
      sum += l.weightedF1 * l.mention.support
      weight += l.mention.support
    }
  }
  const mean = (k: (typeof CLASSES)[number] | 'mention'): number | null => {
    const v = labels.map((l) => l[k].f1).filter((x): x is number => x !== null)
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null
  }
  return {
    labels,
    weightedF1: weight > 0 ? sum / weight : null,
    macro: { positive: mean('positive'), negative: mean('negative'), uncertain: mean('uncertain'), mention: mean('mention') }
  }
}

export interface OpenEndedResult {
  precision: number | null
  recall: number | null
  f1: number | null
  tp: number
  fp: number
  fn: number
  /** Reference cells left out (uncertain under the 'exclude' policy). */
  excluded: number
}

/**
 * Open-ended micro-F1: `present[r * L + l]` is 1 when the source's findings of report r map onto label l.
 * Reference cells count as present when positive (uncertain: as the policy says).
 */
export function openEndedF1(present: Uint8Array, ref: StateMatrix, uncertain: UncertainPolicy): OpenEndedResult {
  if (present.length !== ref.states.length) throw new Error('openEndedF1: the present-label matrix and the reference differ in size')
  let tp = 0
  let fp = 0
  let fn = 0
  let excluded = 0
  for (let i = 0; i < present.length; i++) {
    const t = ref.states[i]!
    let truth: boolean
    if (t === STATE_CODE.uncertain) {
      if (uncertain === 'exclude') {
        excluded++
        continue
      }
      truth = uncertain === 'positive'
    } else truth = t === STATE_CODE.positive
    const p = present[i] === 1
    if (p && truth) tp++
    else if (p) fp++
    else if (truth) fn++
  }
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn), tp, fp, fn, excluded }
}

/** Present labels of a source without stored findings: its positive labels. */
export function positivesAsPresent(m: StateMatrix): Uint8Array {
  return m.states.map((s) => (s === STATE_CODE.positive ? 1 : 0))
}

/** What a prediction source scores on the literature's metrics (attached to each evaluated source). */
export interface LiteratureMetrics {
  chexbert: ChexbertResult
  openEnded: OpenEndedResult & { from: 'findings' | 'positive labels' }
}
