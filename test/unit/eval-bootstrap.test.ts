import { describe, expect, it } from 'vitest'
import { compareSources, compareSourcesSteps, evaluate } from '../../src/common/eval/evaluate'
import { mulberry32, randomIndex } from '../../src/common/eval/prng'
import { emptyMatrix, STATE_CODE, type StateMatrix } from '../../src/common/eval/states'
import { drainAsync, percentileInterval, quantileSorted } from '../../src/common/eval/resample'

/** Synthetic reference and a prediction that flips a share of the cells, from a seeded generator. */
function synthetic(nReports: number, nLabels: number, flip: number, seed: number): { ref: StateMatrix; pred: StateMatrix } {
  const rng = mulberry32(seed)
  const labels = Array.from({ length: nLabels }, (_, i) => `L${i}`)
  const ref = emptyMatrix(labels, nReports)
  const pred = emptyMatrix(labels, nReports)
  for (let i = 0; i < ref.states.length; i++) {
    const pos = rng() / 2 ** 32 < 0.2
    ref.states[i] = pos ? STATE_CODE.positive : STATE_CODE.negative
    const flipped = rng() / 2 ** 32 < flip
    pred.states[i] = pos !== flipped ? STATE_CODE.positive : STATE_CODE.not_mentioned
  }
  return { ref, pred }
}

describe('prng', () => {
  it('is reproducible for a seed and stays in range', () => {
    const a = mulberry32(7)
    const b = mulberry32(7)
    const c = mulberry32(8)
    const xs = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs)
    const r = mulberry32(1)
    for (let i = 0; i < 1000; i++) {
      const k = randomIndex(r, 10)
      expect(k >= 0 && k < 10 && Number.isInteger(k)).toBe(true)
    }
  })
})

describe('percentile interval', () => {
  it('interpolates between order statistics and ignores undefined resamples', () => {
    expect(quantileSorted(new Float64Array([1, 2, 3, 4, 5]), 0.5)).toBe(3)
    expect(quantileSorted(new Float64Array([0, 10]), 0.25)).toBe(2.5)
    const iv = percentileInterval(new Float64Array([NaN, 5, 1, 3, NaN]), 0.5)
    expect(iv).toEqual({ low: 2, high: 4, defined: 3 })
    expect(percentileInterval(new Float64Array([NaN]), 0.95)).toEqual({ low: null, high: null, defined: 0 })
  })
})

describe('bootstrap intervals', () => {
  const { ref, pred } = synthetic(400, 4, 0.1, 3)

  it('is reproducible for a seed and changes with the seed', () => {
    const a = evaluate(pred, ref, { uncertain: 'positive', resamples: 1000, seed: 5 })
    const b = evaluate(pred, ref, { uncertain: 'positive', resamples: 1000, seed: 5 })
    const c = evaluate(pred, ref, { uncertain: 'positive', resamples: 1000, seed: 6 })
    expect(b.labels.map((l) => l.ci)).toEqual(a.labels.map((l) => l.ci))
    expect(b.micro.ci).toEqual(a.micro.ci)
    expect(c.micro.ci).not.toEqual(a.micro.ci)
    expect(a.bootstrap).toMatchObject({ resamples: 1000, seed: 5, confidence: 0.95 })
  })

  it('brackets the point estimate with a sensible width', () => {
    const r = evaluate(pred, ref, { uncertain: 'positive', resamples: 1000, seed: 1 })
    for (const l of [...r.labels, { ...r.micro, label: 'micro' }]) {
      const ci = l.ci!.f1
      expect(ci.defined).toBe(1000)
      expect(ci.low!).toBeLessThanOrEqual(l.f1!)
      expect(ci.high!).toBeGreaterThanOrEqual(l.f1!)
      // 400 reports, ~80 positives per label: a 95% interval for F1 is a few points wide, not zero or huge.
      expect(ci.high! - ci.low!).toBeGreaterThan(0.01)
      expect(ci.high! - ci.low!).toBeLessThan(0.4)
    }
    // Micro pools 4 labels, so its interval is narrower than a single label's.
    const w = (ci: { low: number | null; high: number | null }) => ci.high! - ci.low!
    expect(w(r.micro.ci!.f1)).toBeLessThan(w(r.labels[0].ci!.f1))
  })

  it('collapses to the point for perfect predictions', () => {
    const r = evaluate(ref, ref, { uncertain: 'positive', resamples: 1000 })
    expect(r.micro.ci!.f1).toMatchObject({ low: 1, high: 1 })
    expect(r.macro.ci!.f1).toMatchObject({ low: 1, high: 1 })
  })
})

describe('paired bootstrap', () => {
  const { ref, pred: weak } = synthetic(500, 3, 0.15, 9)
  const better = synthetic(500, 3, 0.03, 9).pred

  it('gives zero difference for identical sources and a positive one for a better source', () => {
    const c = compareSources([weak, weak, better], ref, { uncertain: 'positive', resamples: 1000, seed: 2 })
    expect(c.results).toHaveLength(3)
    expect(c.differences.map((d) => d.source)).toEqual([1, 2])
    const same = c.differences[0]
    expect(same.micro.f1).toEqual({ value: 0, ci: { low: 0, high: 0, defined: 1000 }, p: 1 })
    const up = c.differences[1]
    expect(up.micro.f1.value!).toBeGreaterThan(0.05)
    expect(up.micro.f1.ci!.low!).toBeGreaterThan(0)
    expect(up.micro.f1.p!).toBeLessThan(0.01)
    expect(up.macro.f1.value).toBeCloseTo(c.results[2].macro.f1! - c.results[0].macro.f1!, 12)
    expect(up.labels).toHaveLength(3)
  })

  it('uses the same resamples for every source (paired intervals narrower than unpaired)', () => {
    const c = compareSources([weak, better], ref, { uncertain: 'positive', resamples: 1000, seed: 4 })
    const d = c.differences[0].micro.f1.ci!
    const a = c.results[0].micro.ci!.f1
    const b = c.results[1].micro.ci!.f1
    const unpaired = Math.sqrt(((a.high! - a.low!) / 2) ** 2 + ((b.high! - b.low!) / 2) ** 2) * 2
    expect(d.high! - d.low!).toBeLessThan(unpaired)
  })

  it('accepts another baseline and rejects a bad one', () => {
    const c = compareSources([weak, better], ref, { uncertain: 'positive', resamples: 200, baseline: 1 })
    expect(c.differences[0]).toMatchObject({ source: 0, baseline: 1 })
    expect(c.differences[0].micro.f1.value!).toBeLessThan(0)
    expect(() => compareSources([weak], ref, { uncertain: 'positive', baseline: 3 })).toThrow(/baseline/)
    expect(() => evaluate(weak, ref, { uncertain: 'positive', resamples: -1 })).toThrow(/resamples/)
  })
})

describe('stepwise bootstrap', () => {
  it('pauses between resamples and gives the same result as the synchronous run', async () => {
    const { ref, pred } = synthetic(300, 3, 0.1, 11)
    let pauses = 0
    const pause = async () => {
      pauses++
    }
    const opts = { uncertain: 'positive' as const, resamples: 200, seed: 8 }
    const stepwise = await drainAsync(compareSourcesSteps([pred], ref, opts), pause, -1)
    expect(pauses).toBe(200)
    expect(stepwise).toEqual(compareSources([pred], ref, opts))
  })
})
