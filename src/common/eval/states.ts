// Compact encodings for evaluation: label states as bytes, binarised by the uncertain policy.
import type { LabelState } from '../types'

/** Byte codes for the four label states (not_mentioned is 0 so a zero-filled matrix means "no label"). */
export const STATE_CODE: Record<LabelState, number> = {
  not_mentioned: 0,
  positive: 1,
  negative: 2,
  uncertain: 3
}
export const CODE_STATE: readonly LabelState[] = ['not_mentioned', 'positive', 'negative', 'uncertain']

export const UNCERTAIN_POLICIES = ['positive', 'negative', 'exclude'] as const
/** How an uncertain label counts: as positive, as negative, or the cell is left out of that label's counts. */
export type UncertainPolicy = (typeof UNCERTAIN_POLICIES)[number]

/** Binary value of a cell after the policy: 0 negative, 1 positive, 2 excluded. */
export const BIN_NEG = 0
export const BIN_POS = 1
export const BIN_EXCLUDED = 2

/** Lookup table state code -> binary value for a policy (not_mentioned always counts as negative). */
export function binaryTable(policy: UncertainPolicy): Uint8Array {
  const t = new Uint8Array(4)
  t[STATE_CODE.not_mentioned] = BIN_NEG
  t[STATE_CODE.negative] = BIN_NEG
  t[STATE_CODE.positive] = BIN_POS
  t[STATE_CODE.uncertain] = policy === 'positive' ? BIN_POS : policy === 'negative' ? BIN_NEG : BIN_EXCLUDED
  return t
}

/** Outcome codes of one (report, label) cell of a prediction against a reference. */
export const OUT_TN = 0
export const OUT_TP = 1
export const OUT_FP = 2
export const OUT_FN = 3
export const OUT_EXCLUDED = 4
export const OUTCOME_NAMES = ['tn', 'tp', 'fp', 'fn', 'excluded'] as const
export type OutcomeName = (typeof OUTCOME_NAMES)[number]

/**
 * A reports x labels matrix of state codes, row-major: `states[r * labels.length + l]`.
 * Both sides of an evaluation share `labels` (already mapped) and the report order.
 */
export interface StateMatrix {
  labels: string[]
  nReports: number
  states: Uint8Array
}

export function emptyMatrix(labels: string[], nReports: number): StateMatrix {
  return { labels: [...labels], nReports, states: new Uint8Array(labels.length * nReports) }
}

/** Build a matrix from plain rows (tests, small inputs); a missing label means not_mentioned. */
export function matrixFromRows(labels: string[], rows: Array<Partial<Record<string, LabelState>>>): StateMatrix {
  const m = emptyMatrix(labels, rows.length)
  rows.forEach((row, r) => {
    for (const [name, state] of Object.entries(row)) {
      const l = labels.indexOf(name)
      if (l < 0) throw new Error(`matrixFromRows: row ${r} names label "${name}", which is not in [${labels.join(', ')}]`)
      if (state) m.states[r * labels.length + l] = STATE_CODE[state]
    }
  })
  return m
}

function assertSameShape(a: StateMatrix, b: StateMatrix): void {
  if (a.nReports !== b.nReports || a.labels.length !== b.labels.length) {
    throw new Error(
      `evaluation: prediction (${a.nReports} reports x ${a.labels.length} labels) and reference ` +
        `(${b.nReports} x ${b.labels.length}) do not have the same shape; align them first (alignSources)`
    )
  }
}

/** Outcome code per cell (TN/TP/FP/FN/excluded) of `pred` against `ref` under a policy. */
export function outcomeMatrix(pred: StateMatrix, ref: StateMatrix, policy: UncertainPolicy): Uint8Array {
  assertSameShape(pred, ref)
  const bin = binaryTable(policy)
  // outcome[p * 3 + r] for binary p, r in {0, 1, 2}
  const table = new Uint8Array([OUT_TN, OUT_FN, OUT_EXCLUDED, OUT_FP, OUT_TP, OUT_EXCLUDED, 4, 4, 4])
  const n = pred.states.length
  const out = new Uint8Array(n)
  const ps = pred.states
  const rs = ref.states
  for (let i = 0; i < n; i++) out[i] = table[bin[ps[i]] * 3 + bin[rs[i]]]
  return out
}
