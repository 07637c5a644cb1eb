// Built-in label sets, label-name matching, cross-set mapping and custom-set validation.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/common/errors'
import {
  BUILTIN_LABEL_SETS,
  CHESTXRAY14,
  CHEXPERT14,
  findLabel,
  getBuiltinLabelSet,
  mapLabelSets,
  normaliseLabelName,
  parseLabelSetDefinition,
  parseLabelSetJson,
  sameLabel
} from '../../src/common/labelsets'

describe('built-in label sets', () => {
  it('chexpert14 has the 14 CheXpert observations and CheXpert aggregation', () => {
    expect(CHEXPERT14.labels.map((l) => l.name)).toEqual([
      'No Finding',
      'Enlarged Cardiomediastinum',
      'Cardiomegaly',
      'Lung Lesion',
      'Lung Opacity',
      'Edema',
      'Consolidation',
      'Pneumonia',
      'Atelectasis',
      'Pneumothorax',
      'Pleural Effusion',
      'Pleural Other',
      'Fracture',
      'Support Devices'
    ])
    expect(CHEXPERT14.aggregation).toBe('chexpert')
  })
  it('chestxray14 has the 14 ChestX-ray14 labels, spelled as in the dataset', () => {
    expect(CHESTXRAY14.labels.map((l) => l.name)).toEqual([
      'Atelectasis',
      'Cardiomegaly',
      'Effusion',
      'Infiltration',
      'Mass',
      'Nodule',
      'Pneumonia',
      'Pneumothorax',
      'Consolidation',
      'Edema',
      'Emphysema',
      'Fibrosis',
      'Pleural_Thickening',
      'Hernia'
    ])
  })
  it('built-ins validate and are found by slug', () => {
    for (const set of BUILTIN_LABEL_SETS) expect(parseLabelSetDefinition(set)).toEqual(set)
    expect(getBuiltinLabelSet('chestxray14')).toBe(CHESTXRAY14)
    expect(getBuiltinLabelSet('nope')).toBeUndefined()
  })
})

describe('label-name matching', () => {
  it('ignores case, spaces, underscores and hyphens', () => {
    expect(normaliseLabelName('Pleural_Thickening')).toBe('pleuralthickening')
    expect(normaliseLabelName(' pleural - thickening ')).toBe('pleuralthickening')
    expect(sameLabel('Pleural_Thickening', 'pleural thickening')).toBe(true)
  })
  it('knows names that differ between sets', () => {
    expect(sameLabel('Effusion', 'Pleural Effusion')).toBe(true)
    expect(sameLabel('Effusion', 'Edema')).toBe(false)
    expect(findLabel(CHEXPERT14, 'effusion')).toBe('Pleural Effusion')
    expect(findLabel(CHESTXRAY14, 'Pleural Effusion')).toBe('Effusion')
  })
  it('maps one set onto another, leaving labels without a counterpart out', () => {
    const m = mapLabelSets(CHESTXRAY14, CHEXPERT14)
    expect(m).toMatchObject({
      Atelectasis: 'Atelectasis',
      Cardiomegaly: 'Cardiomegaly',
      Effusion: 'Pleural Effusion',
      Pneumonia: 'Pneumonia',
      Pneumothorax: 'Pneumothorax',
      Consolidation: 'Consolidation',
      Edema: 'Edema'
    })
    expect(m.Emphysema).toBeUndefined()
    expect(m.Hernia).toBeUndefined()
  })
})

describe('custom label set validation', () => {
  const valid = {
    slug: 'site-thorax',
    name: 'Site thorax set',
    labels: [{ name: 'Granuloma', terms: ['granuloma[s]'] }, { name: 'Pleural Effusion' }]
  }
  it('accepts a valid set and trims names', () => {
    const s = parseLabelSetDefinition({ ...valid, name: '  Site thorax set ' })
    expect(s.name).toBe('Site thorax set')
    expect(s.labels).toHaveLength(2)
  })
  it('names the field and the label in errors', () => {
    try {
      parseLabelSetDefinition({ ...valid, labels: [{ name: 'Granuloma', terms: ['  '] }] }, 'file sites.json')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(AppError)
      const err = e as AppError
      expect(err.code).toBe('invalid_input')
      expect(err.message).toContain('file sites.json')
      expect(err.message).toContain('label 1 ("Granuloma").terms.0')
      expect(err.hint).toBeTruthy()
    }
  })
  it('rejects duplicate labels compared by normalised name', () => {
    expect(() =>
      parseLabelSetDefinition({ ...valid, labels: [{ name: 'Pleural_Effusion' }, { name: 'pleural effusion' }] })
    ).toThrow(/duplicates label 1/)
  })
  it('rejects a bad slug, empty labels and chexpert aggregation without No Finding', () => {
    expect(() => parseLabelSetDefinition({ ...valid, slug: 'Has Spaces' })).toThrow(/slug/)
    expect(() => parseLabelSetDefinition({ ...valid, labels: [] })).toThrow(/at least one label/)
    expect(() => parseLabelSetDefinition({ ...valid, aggregation: 'chexpert' })).toThrow(/No Finding/)
  })
  it('reports JSON syntax errors readably', () => {
    expect(() => parseLabelSetJson('{"slug": ', 'labels.json')).toThrow(/labels.json is not valid JSON/)
    expect(parseLabelSetJson(JSON.stringify(valid)).slug).toBe('site-thorax')
  })
})
