import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { agreement, cohensKappa } from '../../src/common/eval/kappa'
import { compareSources, evaluate } from '../../src/common/eval/evaluate'
import { CODE_STATE, emptyMatrix, UNCERTAIN_POLICIES, type StateMatrix, type UncertainPolicy } from '../../src/common/eval/states'
import { escapeXml, intervalBarChart } from '../../src/common/eval/charts-svg'

const matrices = fc
  .record({ n: fc.integer({ min: 0, max: 30 }), l: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, l }) =>
    fc.record({
      n: fc.constant(n),
      l: fc.constant(l),
      a: fc.uint8Array({ minLength: n * l, maxLength: n * l, max: 3 }),
      b: fc.uint8Array({ minLength: n * l, maxLength: n * l, max: 3 }),
      policy: fc.constantFrom<UncertainPolicy>(...UNCERTAIN_POLICIES)
    })
  )

function toMatrix(states: Uint8Array, n: number, l: number): StateMatrix {
  const m = emptyMatrix(Array.from({ length: l }, (_, i) => `L${i}`), n)
  m.states.set(states)
  return m
}

/** The obvious per-cell implementation the fast code must agree with. */
function naive(pred: Uint8Array, ref: Uint8Array, n: number, l: number, policy: UncertainPolicy) {
  const bin = (code: number): number | null => {
    const s = CODE_STATE[code]
    if (s === 'positive') return 1
    if (s === 'uncertain') return policy === 'positive' ? 1 : policy === 'negative' ? 0 : null
    return 0
  }
  return Array.from({ length: l }, (_, j) => {
    const c = { tp: 0, fp: 0, fn: 0, tn: 0, excluded: 0 }
    for (let r = 0; r < n; r++) {
      const p = bin(pred[r * l + j])
      const t = bin(ref[r * l + j])
      if (p === null || t === null) c.excluded++
      else if (p && t) c.tp++
      else if (p) c.fp++
      else if (t) c.fn++
      else c.tn++
    }
    return c
  })
}

describe('metric properties (random matrices)', () => {
  it('counts agree with a naive per-cell implementation; metrics stay in [0, 1]', () => {
    fc.assert(
      fc.property(matrices, ({ n, l, a, b, policy }) => {
        const r = evaluate(toMatrix(a, n, l), toMatrix(b, n, l), { uncertain: policy, resamples: 0 })
        const expected = naive(a, b, n, l, policy)
        r.labels.forEach((lab, j) => {
          expect({ tp: lab.tp, fp: lab.fp, fn: lab.fn, tn: lab.tn, excluded: lab.excluded }).toEqual(expected[j])
          for (const v of [lab.precision, lab.recall, lab.f1]) if (v !== null) expect(v >= 0 && v <= 1).toBe(true)
        })
        expect(r.micro.tp).toBe(expected.reduce((s, c) => s + c.tp, 0))
      }),
      { numRuns: 150 }
    )
  })

  it('intervals are ordered, and the paired difference of a source with itself is exactly zero', () => {
    fc.assert(
      fc.property(matrices, ({ n, l, a, b, policy }) => {
        const A = toMatrix(a, n, l)
        const c = compareSources([A, A], toMatrix(b, n, l), { uncertain: policy, resamples: 50, seed: 1 })
        for (const d of c.differences[0].labels) {
          if (d.f1.value !== null) expect(d.f1.value).toBe(0)
          if (d.f1.ci && d.f1.ci.low !== null) expect([d.f1.ci.low, d.f1.ci.high]).toEqual([0, 0])
        }
        for (const lab of c.results[0].labels) {
          const ci = lab.ci?.f1
          if (ci && ci.low !== null && ci.high !== null) expect(ci.low).toBeLessThanOrEqual(ci.high)
        }
      }),
      { numRuns: 60 }
    )
  })

  it('kappa is 1 for identical sources unless chance agreement is total, and symmetric', () => {
    fc.assert(
      fc.property(matrices, ({ n, l, a, b, policy }) => {
        const A = toMatrix(a, n, l)
        const B = toMatrix(b, n, l)
        const self = agreement(A, A, { uncertain: policy, resamples: 0 })
        for (const lab of self.labels) if (lab.fourState.kappa !== null) expect(lab.fourState.kappa).toBeCloseTo(1, 12)
        const ab = agreement(A, B, { uncertain: policy, resamples: 0 })
        const ba = agreement(B, A, { uncertain: policy, resamples: 0 })
        ab.labels.forEach((lab, j) => {
          const k1 = lab.fourState.kappa
          const k2 = ba.labels[j].fourState.kappa
          if (k1 === null) expect(k2).toBeNull()
          else expect(k1).toBeCloseTo(k2!, 10)
        })
      }),
      { numRuns: 80 }
    )
    expect(cohensKappa([3, 0, 0, 0, 2, 0, 0, 0, 0], 3).kappa).toBeCloseTo(1, 12)
  })
})

describe('SVG charts', () => {
  it('escapes names and draws n/a rather than a zero bar', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;')
    const svg = intervalBarChart({
      title: 'T <1>',
      categories: ['Edema', 'Fracture & <b>'],
      series: [{ name: 'run "A"', values: [{ value: 0.5, low: 0.4, high: 0.6 }, { value: null }] }]
    })
    expect(svg).toContain('Fracture &amp; &lt;b&gt;')
    expect(svg).not.toContain('<b>')
    expect(svg).toContain('>n/a<')
    expect(svg).toContain('95% CI 0.40-0.60')
    expect(svg.match(/<rect /g)).toHaveLength(1)
  })
})
