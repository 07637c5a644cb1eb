// Agreement between two sources without a reference: percent agreement and Cohen's kappa, on the
// binary view (after the uncertain policy) and on the four states, per label and pooled over labels.
import { buildContributions, drain, percentileInterval, resampleSteps, type Interval } from './resample'
import { BIN_EXCLUDED, binaryTable, CODE_STATE, type StateMatrix, type UncertainPolicy } from './states'
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED } from './evaluate'

export interface Agreement {
  /** Cells compared (excluded cells are not counted). */
  n: number
  /** Share of cells on which both sources agree; null when n = 0. */
  agreement: number | null
  /** Cohen's kappa; null when undefined (no cells, or chance agreement is 1: both constant and equal). */
  kappa: number | null
  kappaCi: Interval | null
}

/** kappa from a k x k count matrix, row = source A's category, column = source B's. */
export function cohensKappa(matrix: ArrayLike<number>, k: number): { n: number; agreement: number | null; kappa: number | null } {
  let n = 0
  let diag = 0
  const rows = new Float64Array(k)
  const cols = new Float64Array(k)
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const v = matrix[a * k + b]
      n += v
      rows[a] += v
      cols[b] += v
      if (a === b) diag += v
    }
  }
  if (n === 0) return { n: 0, agreement: null, kappa: null }
  const po = diag / n
  let pe = 0
  for (let c = 0; c < k; c++) pe += (rows[c] / n) * (cols[c] / n)
  // Floating error can make pe a hair below 1 for constant raters: treat it as undefined.
  const kappa = 1 - pe < 1e-12 ? null : (po - pe) / (1 - pe)
  return { n, agreement: po, kappa }
}

export interface LabelAgreement {
  label: string
  binary: Agreement
  fourState: Agreement
  /** 4 x 4 counts, rows = source A, columns = source B, order of `FOUR_STATE_ORDER`. */
  matrix: number[][]
}

export const FOUR_STATE_ORDER = CODE_STATE

export interface AgreementResult {
  nReports: number
  uncertain: UncertainPolicy
  labels: LabelAgreement[]
  /** Pooled over every (report, label) cell. */
  overall: { binary: Agreement; fourState: Agreement }
  bootstrap: { resamples: number; seed: number; confidence: number } | null
}

export interface AgreementOptions {
  uncertain: UncertainPolicy
  resamples?: number
  seed?: number
  confidence?: number
}

export function agreement(a: StateMatrix, b: StateMatrix, opts: AgreementOptions): AgreementResult {
  return drain(agreementSteps(a, b, opts))
}

/** `agreement` one bootstrap resample per step (drive it with `drain` or `drainAsync`). */
export function* agreementSteps(a: StateMatrix, b: StateMatrix, opts: AgreementOptions): Generator<number, AgreementResult> {
  if (a.nReports !== b.nReports || a.labels.length !== b.labels.length) {
    throw new Error('agreement: both sources must be aligned to the same reports and labels first')
  }
  const L = a.labels.length
  const n = a.nReports
  const bin = binaryTable(opts.uncertain)
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES
  const seed = opts.seed ?? DEFAULT_SEED
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE
  // Codes: per label 4 binary cells (2x2) then 16 four-state cells; pooled matrices derive from them.
  const per = 20
  const codeBin = (r: number, l: number): number => {
    const i = r * L + l
    const x = bin[a.states[i]]
    const y = bin[b.states[i]]
    return x === BIN_EXCLUDED || y === BIN_EXCLUDED ? -1 : l * per + x * 2 + y
  }
  const code4 = (r: number, l: number): number => {
    const i = r * L + l
    return l * per + 4 + a.states[i] * 4 + b.states[i]
  }
  const contrib = buildContributions(n, L * per, L * 2, (r, c) => (c < L ? codeBin(r, c) : code4(r, c - L)))
  const full = new Int32Array(L * per)
  for (let k = 0; k < contrib.codes.length; k++) full[contrib.codes[k]]++

  const kappasOf = (counts: Int32Array, out: Float64Array | null, bIdx: number, B: number) => {
    const pooledBin = new Float64Array(4)
    const pooled4 = new Float64Array(16)
    const res: Array<{ bin: ReturnType<typeof cohensKappa>; four: ReturnType<typeof cohensKappa> }> = []
    for (let l = 0; l < L; l++) {
      const mb = counts.subarray(l * per, l * per + 4)
      const m4 = counts.subarray(l * per + 4, l * per + 20)
      for (let j = 0; j < 4; j++) pooledBin[j] += mb[j]
      for (let j = 0; j < 16; j++) pooled4[j] += m4[j]
      const kb = cohensKappa(mb, 2)
      const k4 = cohensKappa(m4, 4)
      res.push({ bin: kb, four: k4 })
      if (out) {
        out[(l * 2) * B + bIdx] = kb.kappa ?? NaN
        out[(l * 2 + 1) * B + bIdx] = k4.kappa ?? NaN
      }
    }
    const ob = cohensKappa(pooledBin, 2)
    const o4 = cohensKappa(pooled4, 4)
    if (out) {
      out[(L * 2) * B + bIdx] = ob.kappa ?? NaN
      out[(L * 2 + 1) * B + bIdx] = o4.kappa ?? NaN
    }
    return { res, ob, o4 }
  }

  const point = kappasOf(full, null, 0, 0)
  let stats: Float64Array | null = null
  if (resamples > 0 && n > 0) {
    stats = new Float64Array((L * 2 + 2) * resamples)
    const s = stats
    yield* resampleSteps([contrib], { resamples, seed }, (bIdx, counts) => void kappasOf(counts[0], s, bIdx, resamples))
  }
  const ci = (stat: number): Interval | null =>
    stats ? percentileInterval(stats.subarray(stat * resamples, (stat + 1) * resamples), confidence) : null
  const toAgreement = (k: ReturnType<typeof cohensKappa>, stat: number): Agreement => ({ ...k, kappaCi: ci(stat) })

  return {
    nReports: n,
    uncertain: opts.uncertain,
    labels: a.labels.map((label, l) => {
      const m4 = full.subarray(l * per + 4, l * per + 20)
      return {
        label,
        binary: toAgreement(point.res[l].bin, l * 2),
        fourState: toAgreement(point.res[l].four, l * 2 + 1),
        matrix: [0, 1, 2, 3].map((x) => [0, 1, 2, 3].map((y) => m4[x * 4 + y]))
      }
    }),
    overall: { binary: toAgreement(point.ob, L * 2), fourState: toAgreement(point.o4, L * 2 + 1) },
    bootstrap: stats ? { resamples, seed, confidence } : null
  }
}
