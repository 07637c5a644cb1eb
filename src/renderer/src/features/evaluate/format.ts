// Number formatting shared by the evaluation tables.
import type { Interval, OutcomeName } from '../../../../common/eval'

export const f3 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(3))

export const ciText = (iv: Interval | null | undefined): string =>
  iv && iv.low !== null && iv.high !== null ? `${iv.low.toFixed(3)}–${iv.high.toFixed(3)}` : ''

export const signed = (v: number | null): string => (v === null ? 'n/a' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(3)}`)

export const pText = (p: number | null): string => (p === null ? '' : p < 0.001 ? 'p < 0.001' : `p ≈ ${p.toFixed(3)}`)

export const OUTCOME_TITLES: Record<OutcomeName, string> = {
  tp: 'True positives',
  fp: 'False positives',
  fn: 'False negatives',
  tn: 'True negatives',
  excluded: 'Excluded (uncertain)'
}

export const STATE_TEXT: Record<string, string> = {
  positive: 'positive',
  negative: 'negative',
  uncertain: 'uncertain',
  not_mentioned: 'not mentioned'
}
