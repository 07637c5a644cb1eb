import { describe, expect, it } from 'vitest'
import type { LabelState } from '../../src/common/types'
import { disagreements, settledLabels, type Decision, type Reading } from '../../src/node/review/readings'

const at = '2026-01-01T00:00:00.000Z'
function reading(readers: Record<number, Record<number, LabelState>>, completed: number[], adjudicated: Record<number, LabelState> = {}): Reading {
  const reader = new Map<number, Map<number, Decision>>()
  for (const [rid, labels] of Object.entries(readers)) {
    reader.set(Number(rid), new Map(Object.entries(labels).map(([l, state]) => [Number(l), { state, decidedAt: at, reviewerId: Number(rid) }])))
  }
  return {
    reportId: 1,
    completed: completed.map((reviewerId) => ({ reviewerId, name: `R${reviewerId}`, completedAt: at })),
    reader,
    adjudicated: new Map(Object.entries(adjudicated).map(([l, state]) => [Number(l), { state, decidedAt: at, reviewerId: 9 }]))
  }
}
const labels = [1, 2, 3]

describe('settled labels of a report', () => {
  it('single reading: the first completed reader, missing labels not mentioned; nothing before completion', () => {
    expect(settledLabels(reading({ 5: { 1: 'positive' } }, []), 1, labels)).toBeNull()
    const s = settledLabels(reading({ 5: { 1: 'positive' }, 6: { 1: 'negative' } }, [5, 6]), 1, labels)!
    expect([...s.values()].map((v) => v!.state)).toEqual(['positive', 'not_mentioned', 'not_mentioned'])
    expect(s.get(1)!.rule).toBe('review:single')
  })

  it('double reading: agreed labels settle, a disagreement waits for the adjudicator', () => {
    const r = reading({ 5: { 1: 'positive', 2: 'negative' }, 6: { 1: 'positive', 2: 'uncertain' } }, [5, 6])
    expect(disagreements(r, labels)).toEqual([2])
    expect(settledLabels(r, 2, labels)).toBeNull()
    expect(settledLabels(reading({ 5: {}, 6: {} }, [5]), 2, labels)).toBeNull()
    const done = settledLabels(reading({ 5: { 1: 'positive', 2: 'negative' }, 6: { 1: 'positive', 2: 'uncertain' } }, [5, 6], { 2: 'negative' }), 2, labels)!
    expect(Object.fromEntries([...done].map(([k, v]) => [k, `${v!.state} ${v!.rule}`]))).toEqual({
      1: 'positive review:agreed',
      2: 'negative review:adjudicated',
      3: 'not_mentioned review:agreed'
    })
  })

  it('only the first two completed readers count', () => {
    const r = reading({ 5: { 1: 'positive' }, 6: { 1: 'positive' }, 7: { 1: 'negative' } }, [5, 6, 7])
    expect(disagreements(r, labels)).toEqual([])
  })
})
