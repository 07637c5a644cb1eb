// Point estimates: per-label confusion counts, precision/recall/F1, micro and macro averages.
import { OUT_EXCLUDED, OUT_FN, OUT_FP, OUT_TN, OUT_TP } from './states'

export interface Confusion {
  tp: number
  fp: number
  fn: number
  tn: number
  /** Cells left out by the uncertain policy 'exclude'. */
  excluded: number
}

/** A metric is null where it is undefined (0/0), e.g. recall of a label nobody has. */
export interface Prf {
  precision: number | null
  recall: number | null
  f1: number | null
}

export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den
}

/** F1 = 2TP / (2TP + FP + FN): defined whenever the label occurs on either side (0 if it never matches). */
export function prf(tp: number, fp: number, fn: number): Prf {
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) }
}

/** Per-label counts, packed [tp, fp, fn, tn, excluded] per label, from an outcome matrix. */
export function countOutcomes(outcomes: Uint8Array, nLabels: number): Confusion[] {
  const c = new Float64Array(nLabels * 5)
  const n = outcomes.length
  for (let i = 0, l = 0; i < n; i++) {
    c[l * 5 + outcomes[i]]++
    if (++l === nLabels) l = 0
  }
  const res: Confusion[] = []
  for (let l = 0; l < nLabels; l++) {
    const b = l * 5
    res.push({ tp: c[b + OUT_TP], fp: c[b + OUT_FP], fn: c[b + OUT_FN], tn: c[b + OUT_TN], excluded: c[b + OUT_EXCLUDED] })
  }
  return res
}

export interface LabelMetrics extends Prf, Confusion {
  label: string
  /** Reference positives (TP + FN). */
  support: number
  /** Prediction positives (TP + FP). */
  predicted: number
}

export interface SummaryMetrics {
  micro: Prf & { tp: number; fp: number; fn: number; tn: number }
  /** Mean over the labels whose F1 is defined (`macro.labels` of them); null if none is. */
  macro: Prf & { labels: number }
}

export function labelMetrics(labels: string[], counts: Confusion[]): LabelMetrics[] {
  return labels.map((label, l) => {
    const c = counts[l]
    return { label, ...c, ...prf(c.tp, c.fp, c.fn), support: c.tp + c.fn, predicted: c.tp + c.fp }
  })
}

function mean(values: Array<number | null>): number | null {
  let s = 0
  let k = 0
  for (const v of values) {
    if (v !== null) {
      s += v
      k++
    }
  }
  return k === 0 ? null : s / k
}

export function summarise(perLabel: LabelMetrics[]): SummaryMetrics {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  for (const m of perLabel) {
    tp += m.tp
    fp += m.fp
    fn += m.fn
    tn += m.tn
  }
  return {
    micro: { tp, fp, fn, tn, ...prf(tp, fp, fn) },
    macro: {
      precision: mean(perLabel.map((m) => m.precision)),
      recall: mean(perLabel.map((m) => m.recall)),
      f1: mean(perLabel.map((m) => m.f1)),
      labels: perLabel.filter((m) => m.f1 !== null).length
    }
  }
}
