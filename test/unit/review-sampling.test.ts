import { describe, expect, it } from 'vitest'
import { sampleDisagreementsFirst, sampleRandom, sampleStratified, strataOf } from '../../src/node/review/sampling'

const ids = Array.from({ length: 500 }, (_, i) => i + 1)

describe('review sampling', () => {
  it('random: same seed same sample and order, other seed other sample, no repeats', () => {
    const a = sampleRandom(ids, 50, 42)
    expect(sampleRandom(ids, 50, 42)).toEqual(a)
    expect(sampleRandom(ids, 50, 43)).not.toEqual(a)
    expect(new Set(a).size).toBe(50)
    expect(a.every((id) => id >= 1 && id <= 500)).toBe(true)
    expect(sampleRandom(ids, 900, 1)).toHaveLength(500)
  })

  it('stratified: rare strata get as many reports as large ones, round-robin', () => {
    const positives = new Map<number, string[]>()
    for (let i = 1; i <= 10; i++) positives.set(i, ['Pneumothorax'])
    for (let i = 11; i <= 300; i++) positives.set(i, ['Pleural Effusion'])
    positives.set(5, ['Pneumothorax', 'Pleural Effusion'])
    const strata = strataOf(positives, ids)
    // a report with two positives goes to its rarer label
    expect(strata.get('Pneumothorax')).toContain(5)
    expect(strata.get('Pneumothorax')).toHaveLength(10)
    expect(strata.get('(no positive label)')).toHaveLength(200)
    const sample = sampleStratified(strata, 30, 9)
    expect(sampleStratified(strata, 30, 9)).toEqual(sample)
    expect(sample.filter((id) => id <= 10)).toHaveLength(10)
    expect(sample.filter((id) => id > 10 && id <= 300)).toHaveLength(10)
    expect(sample.filter((id) => id > 300)).toHaveLength(10)
    // asks for more than there is: everything, once
    expect(new Set(sampleStratified(strata, 10_000, 1)).size).toBe(500)
  })

  it('disagreements first, most differing labels first, then random fill', () => {
    const differing = [
      { id: 7, labels: 1 },
      { id: 8, labels: 3 },
      { id: 9, labels: 1 }
    ]
    const others = ids.filter((i) => i < 7 || i > 9)
    const s = sampleDisagreementsFirst(differing, others, 10, 5)
    expect(s[0]).toBe(8)
    expect(new Set(s.slice(1, 3))).toEqual(new Set([7, 9]))
    expect(s).toHaveLength(10)
    expect(new Set(s).size).toBe(10)
    expect(sampleDisagreementsFirst(differing, others, 10, 5)).toEqual(s)
    expect(sampleDisagreementsFirst(differing, others, 2, 5)).toEqual(s.slice(0, 2))
  })
})
