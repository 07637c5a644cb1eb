// Negation patterns of the rules engine, on synthetic sentences written for these tests.
import { describe, expect, it } from 'vitest'
import { CHESTXRAY14, CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, labelReport } from '../../src/common/rules'
import type { LabelSetDefinition, LabelState } from '../../src/common/types'

const compiled = new Map<LabelSetDefinition, ReturnType<typeof compileLabelSet>>()
function state(text: string, label: string, set: LabelSetDefinition = CHEXPERT14): LabelState {
  let c = compiled.get(set)
  if (!c) compiled.set(set, (c = compileLabelSet(set)))
  const d = labelReport(text, [], c).find((x) => x.label === label)
  if (!d) throw new Error(`no label ${label}`)
  return d.state
}

describe('negation triggers before the mention', () => {
  it.each([
    ['No pneumothorax.', 'Pneumothorax'],
    ['There is no pleural effusion.', 'Pleural Effusion'],
    ['There are no focal consolidations.', 'Consolidation'],
    ['No evidence of pneumonia.', 'Pneumonia'],
    ['No radiographic evidence of pulmonary edema.', 'Edema'],
    ['Lungs are clear without atelectasis.', 'Atelectasis'],
    ['Negative for fracture.', 'Fracture'],
    ['The lungs are free of consolidation.', 'Consolidation'],
    ['No signs of pneumothorax are present.', 'Pneumothorax'],
    ['Absence of pleural effusion is confirmed.', 'Pleural Effusion'],
    ['No findings to suggest pneumonia.', 'Pneumonia'],
    ['Neither effusion nor pneumothorax.', 'Pneumothorax'],
    ['No longer any pneumothorax.', 'Pneumothorax']
  ])('%s -> %s negative', (text, label) => {
    expect(state(text, label)).toBe('negative')
  })
})

describe('negation triggers after the mention', () => {
  it.each([
    ['Pneumothorax is not seen.', 'Pneumothorax'],
    ['A pleural effusion is not identified.', 'Pleural Effusion'],
    ['Focal consolidation is not present.', 'Consolidation'],
    ['The previously seen pneumothorax is no longer visualized.', 'Pneumothorax'],
    ['The left effusion has resolved.', 'Pleural Effusion'],
    ['Pneumonia has cleared.', 'Pneumonia'],
    ['Pulmonary edema is absent.', 'Edema'],
    ['The chest tube has been removed.', 'Support Devices']
  ])('%s -> %s negative', (text, label) => {
    expect(state(text, label)).toBe('negative')
  })
})

describe('coordination: one trigger negates a list', () => {
  const text = 'No focal airspace consolidation, pleural effusion, pneumothorax, or pulmonary edema.'
  it.each(['Consolidation', 'Pleural Effusion', 'Pneumothorax', 'Edema'])('%s', (label) => {
    expect(state(text, label)).toBe('negative')
  })
  it('no evidence of X or Y', () => {
    expect(state('No evidence of pneumothorax or effusion.', 'Pneumothorax')).toBe('negative')
    expect(state('No evidence of pneumothorax or effusion.', 'Pleural Effusion')).toBe('negative')
  })
})

describe('scope ends at terminators and sentence boundaries', () => {
  it('but / however', () => {
    expect(state('No pneumothorax but there is a small left effusion.', 'Pleural Effusion')).toBe('positive')
    expect(state('No consolidation; however, mild basilar atelectasis.', 'Atelectasis')).toBe('positive')
    expect(state('No effusion, although a tiny pneumothorax is present.', 'Pneumothorax')).toBe('positive')
  })
  it('a new sentence is outside the scope', () => {
    expect(state('No pleural effusion. Mild cardiomegaly.', 'Cardiomegaly')).toBe('positive')
    expect(state('No pleural effusion.There is atelectasis.', 'Atelectasis')).toBe('positive')
  })
  it('semicolon ends the scope', () => {
    expect(state('No effusion; right basilar consolidation.', 'Consolidation')).toBe('positive')
  })
  it('other than / except', () => {
    expect(state('No acute findings other than mild atelectasis.', 'Atelectasis')).toBe('positive')
    expect(state('Lungs are clear except for a small nodule.', 'Lung Lesion')).toBe('positive')
  })
  it('window: a mention far after the trigger is not negated', () => {
    const far = 'No acute osseous abnormality is identified in the visualized thoracic spine or ribs and the patient has cardiomegaly.'
    expect(state(far, 'Cardiomegaly')).toBe('positive')
  })
})

describe('pseudo-negations do not negate', () => {
  it.each([
    ['No change in the small left pleural effusion.', 'Pleural Effusion'],
    ['No interval change in mild cardiomegaly.', 'Cardiomegaly'],
    ['No significant change in bibasilar atelectasis.', 'Atelectasis'],
    ['Moderate effusion without change.', 'Pleural Effusion'],
    ['No increase in the size of the right pneumothorax.', 'Pneumothorax'],
    ['The effusion has not resolved.', 'Pleural Effusion']
  ])('%s -> %s positive', (text, label) => {
    expect(state(text, label)).toBe('positive')
  })
})

describe('resolved and historical findings', () => {
  it('resolution of / resolved', () => {
    expect(state('Interval resolution of the left lower lobe pneumonia.', 'Pneumonia')).toBe('negative')
    expect(state('Resolved right pneumothorax.', 'Pneumothorax')).toBe('negative')
  })
  it('history of is not a current finding', () => {
    expect(state('History of pneumonia.', 'Pneumonia')).toBe('not_mentioned')
    expect(state('Patient with a history of pneumothorax.', 'Pneumothorax')).toBe('not_mentioned')
  })
  it('a current mention wins over a historical one', () => {
    expect(state('History of pneumonia. Right lower lobe pneumonia.', 'Pneumonia')).toBe('positive')
  })
})

describe('normal statements about anatomy', () => {
  it.each([
    ['Heart size is normal.', 'Cardiomegaly'],
    ['Normal heart size.', 'Cardiomegaly'],
    ['The cardiac silhouette is within normal limits.', 'Cardiomegaly'],
    ['The heart is normal in size.', 'Cardiomegaly'],
    ['The cardiomediastinal silhouette is unremarkable.', 'Enlarged Cardiomediastinum'],
    ['Costophrenic angles are sharp.', 'Pleural Effusion'],
    ['Heart size is at the upper limits of normal.', 'Cardiomegaly']
  ])('%s -> %s negative', (text, label) => {
    expect(state(text, label)).toBe('negative')
  })
  it('a normal statement does not negate a finding in the same sentence', () => {
    expect(state('Normal heart size with mild bibasilar atelectasis.', 'Atelectasis')).toBe('positive')
  })
  it('anatomy alone is not a finding', () => {
    expect(state('Stable heart size.', 'Cardiomegaly')).toBe('not_mentioned')
  })
  it('negated enlargement in a gap term', () => {
    expect(state('The heart is not enlarged.', 'Cardiomegaly')).toBe('negative')
    expect(state('The cardiac silhouette is mildly enlarged.', 'Cardiomegaly')).toBe('positive')
  })
})

describe('ChestX-ray14 label set', () => {
  it('negates with the same rules', () => {
    expect(state('No pleural effusions.', 'Effusion', CHESTXRAY14)).toBe('negative')
    expect(state('No hiatal hernia.', 'Hernia', CHESTXRAY14)).toBe('negative')
  })
})
