import { describe, expect, it } from 'vitest'
import { agreement, cohensKappa } from '../../src/common/eval/kappa'
import { matrixFromRows } from '../../src/common/eval/states'

describe("Cohen's kappa", () => {
  it('matches a hand-computed 2x2 table', () => {
    // po = 35/50 = 0.7; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.4
    const k = cohensKappa([20, 5, 10, 15], 2)
    expect(k.n).toBe(50)
    expect(k.agreement).toBeCloseTo(0.7, 12)
    expect(k.kappa).toBeCloseTo(0.4, 12)
  })

  it('is undefined for constant equal raters and for no data', () => {
    expect(cohensKappa([10, 0, 0, 0], 2)).toEqual({ n: 10, agreement: 1, kappa: null })
    expect(cohensKappa([0, 0, 0, 0], 2)).toEqual({ n: 0, agreement: null, kappa: null })
  })

  it('is -1 for systematic disagreement on a balanced table', () => {
    expect(cohensKappa([0, 5, 5, 0], 2).kappa).toBeCloseTo(-1, 12)
  })
})

describe('agreement between two sources', () => {
  const A = matrixFromRows(['X'], [
    { X: 'positive' }, { X: 'positive' }, { X: 'negative' }, { X: 'negative' },
    { X: 'uncertain' }, { X: 'uncertain' }, { X: 'not_mentioned' }, { X: 'not_mentioned' }
  ])
  const B = matrixFromRows(['X'], [
    { X: 'positive' }, { X: 'negative' }, { X: 'negative' }, { X: 'negative' },
    { X: 'uncertain' }, { X: 'positive' }, { X: 'not_mentioned' }, { X: 'uncertain' }
  ])

  it('computes 4-state kappa by hand', () => {
    // po = 5/8; A marginals 2/8 each; B: nm 1, pos 2, neg 3, unc 2 -> pe = 0.25; kappa = 0.5
    const r = agreement(A, B, { uncertain: 'positive', resamples: 0 })
    expect(r.labels[0].fourState.agreement).toBeCloseTo(5 / 8, 12)
    expect(r.labels[0].fourState.kappa).toBeCloseTo(0.5, 12)
    // Rows A, columns B in order not_mentioned, positive, negative, uncertain.
    expect(r.labels[0].matrix).toEqual([
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [0, 0, 2, 0],
      [0, 1, 0, 1]
    ])
  })

  it('computes binary kappa under each uncertain policy', () => {
    // uncertain as positive: po = 6/8, pe = 0.5 -> 0.5
    const pos = agreement(A, B, { uncertain: 'positive', resamples: 0 }).labels[0].binary
    expect(pos).toMatchObject({ n: 8 })
    expect(pos.kappa).toBeCloseTo(0.5, 12)
    // excluded: 5 cells left, po = 0.8, pe = 0.4*0.2 + 0.6*0.8 = 0.56 -> 0.24/0.44
    const exc = agreement(A, B, { uncertain: 'exclude', resamples: 0 }).labels[0].binary
    expect(exc.n).toBe(5)
    expect(exc.agreement).toBeCloseTo(0.8, 12)
    expect(exc.kappa).toBeCloseTo(0.24 / 0.44, 12)
  })

  it('pools over labels and gives reproducible intervals', () => {
    const A2 = matrixFromRows(['X', 'Y'], Array.from({ length: 60 }, (_, i) => ({ X: i % 3 === 0 ? 'positive' : 'negative', Y: i % 4 === 0 ? 'positive' : 'negative' } as const)))
    const B2 = matrixFromRows(['X', 'Y'], Array.from({ length: 60 }, (_, i) => ({ X: i % 3 === 0 || i % 7 === 0 ? 'positive' : 'negative', Y: i % 4 === 0 ? 'positive' : 'negative' } as const)))
    const r1 = agreement(A2, B2, { uncertain: 'positive', resamples: 1000, seed: 3 })
    const r2 = agreement(A2, B2, { uncertain: 'positive', resamples: 1000, seed: 3 })
    expect(r1.overall).toEqual(r2.overall)
    expect(r1.labels[1].binary.kappa).toBe(1)
    expect(r1.overall.binary.n).toBe(120)
    const x = r1.labels[0].binary
    expect(x.kappaCi!.low!).toBeLessThanOrEqual(x.kappa!)
    expect(x.kappaCi!.high!).toBeGreaterThanOrEqual(x.kappa!)
  })
})
