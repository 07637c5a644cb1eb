// Number formatting shared by the evaluation tables.
import type { Interval, OutcomeName } from '../../../../common/eval'

export const f3 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(3))

const num = (v: number): string => (v < 0 ? `−${(-v).toFixed(3)}` : v.toFixed(3))

/** "0.812–0.861", or "−0.190 to −0.107" when a bound is negative (a dash would read as a minus). */
export const ciText = (iv: Interval | null | undefined): string => {
  if (!iv || iv.low === null || iv.high === null) return ''
  return iv.low < 0 || iv.high < 0 ? `${num(iv.low)} to ${num(iv.high)}` : `${num(iv.low)}–${num(iv.high)}`
}

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
