// CheXbert-style class F1 and the open-ended micro-F1, on hand-counted examples.
import { describe, expect, it } from 'vitest'
import { chexbertF1, matrixFromRows, openEndedF1, positivesAsPresent } from '../../src/common/eval'

const labels = ['A', 'B']
const ref = matrixFromRows(labels, [
  { A: 'positive', B: 'negative' },
  { A: 'positive' },
  { A: 'uncertain', B: 'positive' },
  { A: 'negative' }
])
const pred = matrixFromRows(labels, [
  { A: 'positive', B: 'negative' },
  { A: 'negative' },
  { A: 'uncertain' },
  { A: 'negative', B: 'positive' }
])

describe('CheXbert-style F1', () => {
  const res = chexbertF1(pred, ref)
  const a = res.labels[0]!
  const b = res.labels[1]!
  it('scores each class against the rest, and mention against not mentioned', () => {
    // A positive: ref rows 0,1; pred row 0 -> tp 1, fn 1, fp 0 -> F1 2/3.
    expect(a.positive).toMatchObject({ tp: 1, fp: 0, fn: 1, support: 2 })
    expect(a.positive.f1).toBeCloseTo(2 / 3)
    // A negative: ref row 3; pred rows 1,3 -> tp 1, fp 1 -> F1 2/3.
    expect(a.negative.f1).toBeCloseTo(2 / 3)
    expect(a.uncertain.f1).toBe(1)
    // A mentioned in all four rows on both sides.
    expect(a.mention.f1).toBe(1)
    // B: positive ref row 2, pred row 3 -> F1 0; negative row 0 both -> 1; uncertain undefined.
    expect(b.positive.f1).toBe(0)
    expect(b.negative.f1).toBe(1)
    expect(b.uncertain.f1).toBeNull()
    // B mention: ref rows 0,2; pred rows 0,3 -> tp 1, fp 1, fn 1 -> 0.5.
    expect(b.mention.f1).toBeCloseTo(0.5)
  })
  it('weights class F1 by reference support, then labels by mention support', () => {
    const wa = (2 * (2 / 3) + 1 * (2 / 3) + 1 * 1) / 4
    const wb = (1 * 0 + 1 * 1) / 2
    expect(a.weightedF1).toBeCloseTo(wa)
    expect(b.weightedF1).toBeCloseTo(wb)
    expect(res.weightedF1).toBeCloseTo((wa * 4 + wb * 2) / 6)
    expect(res.macro.uncertain).toBe(1)
  })
  it('is perfect for a prediction equal to the reference', () => {
    expect(chexbertF1(ref, ref).weightedF1).toBe(1)
  })
})

describe('open-ended micro-F1', () => {
  it('counts present labels against reference positives, uncertain by policy', () => {
    const present = Uint8Array.from([1, 0, 0, 0, 1, 1, 0, 0]) // r0 A; r2 A, B
    const excl = openEndedF1(present, ref, 'exclude')
    // cells: r0A tp; r1A fn; r2A excluded; r2B tp; others tn.
    expect(excl).toMatchObject({ tp: 2, fp: 0, fn: 1, excluded: 1 })
    expect(excl.f1).toBeCloseTo(0.8)
    expect(openEndedF1(present, ref, 'negative')).toMatchObject({ tp: 2, fp: 1, fn: 1 })
    expect(openEndedF1(present, ref, 'positive')).toMatchObject({ tp: 3, fp: 0, fn: 1 })
  })
  it('takes positive labels as the findings of a source without findings', () => {
    expect(Array.from(positivesAsPresent(pred))).toEqual([1, 0, 0, 0, 0, 0, 0, 1])
  })
})
