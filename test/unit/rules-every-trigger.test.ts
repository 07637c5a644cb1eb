// Every negation and uncertainty rule, applied in its direction on a synthetic sentence built from its
// own phrase, gives the state its category says (and pseudo-triggers never negate).
import { describe, expect, it } from 'vitest'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, DEFAULT_CONTEXT_RULES, labelReport } from '../../src/common/rules'

const c = compileLabelSet(CHEXPERT14)
const ptx = (text: string): string => labelReport(text, [], c, 'whole', { hedging: 'all' }).find((d) => d.label === 'Pneumothorax')!.state
const heart = (text: string): string => labelReport(text, [], c, 'whole').find((d) => d.label === 'Cardiomegaly')!.state

const finding = DEFAULT_CONTEXT_RULES.filter((r) => (r.category === 'negation' || r.category === 'uncertainty') && r.target !== 'anatomy')
const expected = (category: string): string => (category === 'negation' ? 'negative' : 'uncertain')

describe('every finding trigger, forward', () => {
  it.each(finding.filter((r) => r.direction !== 'backward').map((r) => [r.id, r.phrase, r.category]))(
    '%s',
    (_id, phrase, category) => {
      expect(ptx(`${phrase} pneumothorax.`)).toBe(expected(category))
    }
  )
})

describe('every finding trigger, backward', () => {
  it.each(finding.filter((r) => r.direction !== 'forward').map((r) => [r.id, r.phrase, r.category]))(
    '%s',
    (_id, phrase, category) => {
      expect(ptx(`pneumothorax ${phrase}.`)).toBe(expected(category))
    }
  )
})

describe('every historical trigger', () => {
  it.each(DEFAULT_CONTEXT_RULES.filter((r) => r.category === 'historical').map((r) => [r.id, r.phrase]))('%s', (_id, phrase) => {
    expect(ptx(`${phrase} pneumothorax.`)).toBe('not_mentioned')
  })
})

describe('every normal statement about anatomy', () => {
  const normal = DEFAULT_CONTEXT_RULES.filter((r) => r.target === 'anatomy')
  it.each(normal.map((r) => [r.id, r.phrase]))('%s', (_id, phrase) => {
    expect(heart(`The heart size ${phrase}.`)).toBe('negative')
  })
})

describe('pseudo-triggers and terminators never negate', () => {
  it.each(DEFAULT_CONTEXT_RULES.filter((r) => r.category === 'pseudo' || r.category === 'terminator').map((r) => [r.id, r.phrase]))(
    '%s',
    (_id, phrase) => {
      expect(ptx(`Small ${phrase} pneumothorax.`)).not.toBe('negative')
    }
  )
})

describe('rule data', () => {
  it('rule ids are unique (they are shown as the deciding rule)', () => {
    const ids = DEFAULT_CONTEXT_RULES.map((r) => r.id)
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })
})
