// What the Evaluate form proposes on a first visit (no history yet).
import { describe, expect, it } from 'vitest'
import { defaultEvaluationSources, MIN_REPORTS_FOR_STATISTICS, type DefaultableSource } from '../../src/common/eval'

const src = (id: number, kind: DefaultableSource['kind'], reportCount: number, extra: Partial<DefaultableSource> = {}): DefaultableSource => ({
  id,
  kind,
  reportCount,
  createdAt: `2026-01-0${id}`,
  runStatus: kind === 'run' ? 'completed' : null,
  ...extra
})

describe('defaultEvaluationSources', () => {
  it('never preselects a reference below the minimum, nor a cancelled run', () => {
    expect(MIN_REPORTS_FOR_STATISTICS).toBe(30)
    const sources = [src(1, 'curated', 3), src(2, 'imported', 1000), src(3, 'run', 1000), src(4, 'run', 5, { runStatus: 'cancelled' })]
    expect(defaultEvaluationSources(sources)).toEqual({ ref: 2, preds: [3] })
  })
  it('prefers curated labels that are big enough, and the newest completed run', () => {
    const sources = [src(1, 'curated', 40), src(2, 'imported', 1000), src(3, 'run', 1000), src(5, 'run', 900), src(6, 'run', 0)]
    expect(defaultEvaluationSources(sources)).toEqual({ ref: 1, preds: [5] })
  })
  it('proposes no reference when every candidate is tiny (the user chooses)', () => {
    expect(defaultEvaluationSources([src(1, 'curated', 5), src(2, 'run', 10)])).toEqual({ ref: null, preds: [2] })
    expect(defaultEvaluationSources([])).toEqual({ ref: null, preds: [] })
  })
})
