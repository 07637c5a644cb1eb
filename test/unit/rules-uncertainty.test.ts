// Uncertainty (hedge) patterns, with both hedging policies, on synthetic sentences.
import { describe, expect, it } from 'vitest'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, labelReport } from '../../src/common/rules'
import type { LabelState } from '../../src/common/types'

const c = compileLabelSet(CHEXPERT14)
function state(text: string, label: string, hedging: 'all' | 'probable' = 'all'): LabelState {
  return labelReport(text, [], c, 'whole', { hedging }).find((d) => d.label === label)!.state
}

describe('probable hedges are uncertain under both policies', () => {
  it.each([
    ['Probable right lower lobe pneumonia.', 'Pneumonia'],
    ['Likely bibasilar atelectasis.', 'Atelectasis'],
    ['Findings are most likely atelectasis.', 'Atelectasis'],
    ['Suspected small left effusion.', 'Pleural Effusion'],
    ['Opacity suspicious for pneumonia.', 'Pneumonia'],
    ['Borderline cardiomegaly.', 'Cardiomegaly'],
    ['Atelectasis versus consolidation in the left base.', 'Consolidation'],
    ['Atelectasis versus consolidation in the left base.', 'Atelectasis'],
    ['Left basilar atelectasis vs. pneumonia.', 'Pneumonia'],
    ['Small effusion and/or pleural thickening.', 'Pleural Effusion'],
    ['Findings strongly suggestive of pulmonary edema.', 'Edema'],
    ['Left lower lobe atelectasis is likely.', 'Atelectasis'],
    ['Early pneumonia is suspected.', 'Pneumonia']
  ])('%s -> %s', (text, label) => {
    expect(state(text, label, 'all')).toBe('uncertain')
    expect(state(text, label, 'probable')).toBe('uncertain')
  })
})

describe('possible hedges: uncertain under "all", unasserted under "probable"', () => {
  it.each([
    ['Possible small pneumothorax.', 'Pneumothorax'],
    ['Opacity may represent atelectasis.', 'Atelectasis'],
    ['This could reflect early pneumonia.', 'Pneumonia'],
    ['Findings suggestive of mild edema.', 'Edema'],
    ['Cannot exclude a small effusion.', 'Pleural Effusion'],
    ['A small effusion cannot be excluded.', 'Pleural Effusion'],
    ['Pneumonia is not ruled out.', 'Pneumonia'],
    ['Differential diagnosis includes atelectasis, scarring and early infection or pneumonia.', 'Pneumonia'],
    ['Questionable nodule in the right upper lobe.', 'Lung Lesion'],
    ['Concerning for pneumonia.', 'Pneumonia'],
    ['Blunting of the left costophrenic angle.', 'Pleural Effusion'],
    ['Evaluate for pneumothorax.', 'Pneumothorax']
  ])('%s -> %s', (text, label) => {
    expect(state(text, label, 'all')).toBe('uncertain')
    expect(state(text, label, 'probable')).toBe('not_mentioned')
  })
  it('the unasserted hedge is kept as evidence with its rule', () => {
    const d = labelReport('Opacity may represent atelectasis.', [], c, 'whole', { hedging: 'probable' }).find(
      (x) => x.label === 'Atelectasis'
    )!
    expect(d.rule).toBe('unc.possible.may-represent')
    expect(d.evidence.map((e) => e.text)).toEqual(['atelectasis', 'may represent'])
  })
})

describe('stacked hedges', () => {
  it('the weakest hedge decides', () => {
    const text = 'Blunting which could be due to a small effusion versus scarring.'
    expect(state(text, 'Pleural Effusion', 'probable')).toBe('not_mentioned')
    expect(state('Likely atelectasis versus pneumonia.', 'Pneumonia', 'probable')).toBe('uncertain')
  })
})

describe('negation that governs a hedge', () => {
  it('no X to suggest Y negates Y', () => {
    expect(state('No focal opacity to suggest pneumonia.', 'Pneumonia')).toBe('negative')
  })
  it('no definite / no convincing', () => {
    expect(state('No definite pleural effusion.', 'Pleural Effusion')).toBe('negative')
  })
  it('a hedge after a comma starts a new list item', () => {
    expect(state('No pneumothorax, possible small left effusion.', 'Pleural Effusion')).toBe('uncertain')
    expect(state('No pneumothorax, possible small left effusion.', 'Pneumothorax')).toBe('negative')
  })
})

describe('mention aggregation across a report', () => {
  it('positive beats uncertain beats negative', () => {
    expect(state('No large effusion. Small left effusion.', 'Pleural Effusion')).toBe('positive')
    expect(state('No effusion on the right. Possible small left effusion.', 'Pleural Effusion')).toBe('uncertain')
    expect(state('Likely atelectasis. Left basilar atelectasis.', 'Atelectasis')).toBe('positive')
  })
})
