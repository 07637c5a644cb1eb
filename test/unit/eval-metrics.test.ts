import { describe, expect, it } from 'vitest'
import { compareSources, evaluate, evaluationWarnings } from '../../src/common/eval/evaluate'
import { emptyMatrix, matrixFromRows, outcomeMatrix, OUT_EXCLUDED, OUT_FN, OUT_FP, OUT_TN, OUT_TP } from '../../src/common/eval/states'
import { countOutcomes, prf } from '../../src/common/eval/metrics'
import { alignPair, alignLabels } from '../../src/common/eval/align'

// Hand-built fixture. Label A exercises every outcome and the uncertain policy; B is all-negative on both
// sides; C has zero support but one false positive.
const labels = ['A', 'B', 'C']
const pred = matrixFromRows(labels, [
  { A: 'positive', B: 'negative', C: 'positive' },
  { A: 'positive' },
  { A: 'not_mentioned', B: 'negative' },
  { A: 'negative' },
  { A: 'uncertain' },
  { A: 'positive', C: 'negative' }
])
const ref = matrixFromRows(labels, [
  { A: 'positive' },
  { A: 'negative', B: 'negative' },
  { A: 'positive' },
  { A: 'not_mentioned', C: 'negative' },
  { A: 'positive' },
  { A: 'uncertain' }
])

describe('outcomes and counts', () => {
  it('classifies each cell under the uncertain policies', () => {
    const col = (o: Uint8Array) => [0, 1, 2, 3, 4, 5].map((r) => o[r * 3])
    expect(col(outcomeMatrix(pred, ref, 'positive'))).toEqual([OUT_TP, OUT_FP, OUT_FN, OUT_TN, OUT_TP, OUT_TP])
    expect(col(outcomeMatrix(pred, ref, 'negative'))).toEqual([OUT_TP, OUT_FP, OUT_FN, OUT_TN, OUT_FN, OUT_FP])
    expect(col(outcomeMatrix(pred, ref, 'exclude'))).toEqual([OUT_TP, OUT_FP, OUT_FN, OUT_TN, OUT_EXCLUDED, OUT_EXCLUDED])
  })

  it('counts per label', () => {
    const c = countOutcomes(outcomeMatrix(pred, ref, 'exclude'), 3)
    expect(c[0]).toEqual({ tp: 1, fp: 1, fn: 1, tn: 1, excluded: 2 })
    expect(c[1]).toEqual({ tp: 0, fp: 0, fn: 0, tn: 6, excluded: 0 })
    expect(c[2]).toEqual({ tp: 0, fp: 1, fn: 0, tn: 5, excluded: 0 })
  })

  it('leaves 0/0 metrics undefined rather than 0', () => {
    expect(prf(0, 0, 0)).toEqual({ precision: null, recall: null, f1: null })
    expect(prf(0, 2, 0)).toEqual({ precision: 0, recall: null, f1: 0 })
    expect(prf(0, 0, 3)).toEqual({ precision: null, recall: 0, f1: 0 })
  })
})

describe('evaluate (point estimates)', () => {
  it('matches the hand computation with uncertain as positive', () => {
    const r = evaluate(pred, ref, { uncertain: 'positive', resamples: 0 })
    expect(r.nReports).toBe(6)
    const [a, b, c] = r.labels
    expect(a).toMatchObject({ label: 'A', tp: 3, fp: 1, fn: 1, tn: 1, support: 4, precision: 0.75, recall: 0.75, f1: 0.75 })
    // All-negative label: nothing to measure, nothing invented.
    expect(b).toMatchObject({ support: 0, tp: 0, fp: 0, fn: 0, tn: 6, precision: null, recall: null, f1: null })
    // Zero support with a false positive: precision and F1 are 0, recall undefined.
    expect(c).toMatchObject({ support: 0, fp: 1, precision: 0, recall: null, f1: 0 })
    expect(r.micro).toMatchObject({ tp: 3, fp: 2, fn: 1, tn: 12 })
    expect(r.micro.precision).toBeCloseTo(3 / 5, 12)
    expect(r.micro.recall).toBeCloseTo(3 / 4, 12)
    expect(r.micro.f1).toBeCloseTo(2 / 3, 12)
    expect(r.macro.f1).toBeCloseTo(0.375, 12)
    expect(r.macro.labels).toBe(2)
    expect(r.macro.precision).toBeCloseTo(0.375, 12)
    expect(r.macro.recall).toBeCloseTo(0.75, 12)
    expect(r.bootstrap).toBeNull()
    expect(a.ci).toBeNull()
  })

  it('matches the hand computation with uncertain as negative and excluded', () => {
    const neg = evaluate(pred, ref, { uncertain: 'negative', resamples: 0 }).labels[0]
    expect(neg).toMatchObject({ tp: 1, fp: 2, fn: 2 })
    expect(neg.f1).toBeCloseTo(1 / 3, 12)
    const exc = evaluate(pred, ref, { uncertain: 'exclude', resamples: 0 }).labels[0]
    expect(exc).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 1, excluded: 2, precision: 0.5, recall: 0.5, f1: 0.5 })
  })

  it('handles an empty intersection of reports', () => {
    const al = alignLabels(labels, labels)
    const pair = alignPair(
      { reportIds: [1, 2, 3, 4, 5, 6], matrix: pred },
      { reportIds: [11, 12, 13, 14, 15, 16], matrix: ref },
      al
    )
    expect(pair.reportIds).toEqual([])
    const r = evaluate(pair.pred, pair.ref, { uncertain: 'positive', resamples: 1000 })
    expect(r.nReports).toBe(0)
    expect(r.labels.map((l) => l.f1)).toEqual([null, null, null])
    expect(r.micro.f1).toBeNull()
    expect(r.macro).toMatchObject({ f1: null, labels: 0 })
    expect(r.bootstrap).toBeNull()
  })

  it('rejects matrices of different shapes with a clear message', () => {
    const other = matrixFromRows(['A'], [{ A: 'positive' }])
    expect(() => evaluate(other, ref, { uncertain: 'positive' })).toThrow(/same shape/)
  })
})

describe('cautions', () => {
  it('warns about small samples, rare labels, labels without F1 and few resamples', () => {
    const c = compareSources([pred], ref, { uncertain: 'positive', resamples: 200 })
    const w = evaluationWarnings(c, 200)
    expect(w[0]).toMatch(/^Only 6 reports are covered/)
    expect(w).toContainEqual(expect.stringMatching(/Fewer than 10 reference positives for A \(4\), C \(0\)/))
    expect(w).toContainEqual(expect.stringMatching(/No positives on either side for B/))
    expect(w).toContainEqual(expect.stringMatching(/Only 200 bootstrap resamples/))
    const empty = compareSources([emptyMatrix(labels, 0)], emptyMatrix(labels, 0), { uncertain: 'positive' })
    expect(evaluationWarnings(empty, 1000)).toEqual([expect.stringMatching(/nothing to measure/)])
  })
})
