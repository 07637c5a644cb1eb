// The lexicon as data, and mapping open-ended finding phrases onto label sets.
import { describe, expect, it } from 'vitest'
import { CHESTXRAY14, CHEXPERT14 } from '../../src/common/labelsets'
import { BUILTIN_LABEL_CONCEPTS, CONCEPTS, conceptsForLabel, mapPhraseToLabels } from '../../src/common/lexicon'
import { tokenizePhrase } from '../../src/common/rules'

describe('lexicon data', () => {
  it('concept ids are unique and every concept has terms', () => {
    const ids = CONCEPTS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const c of CONCEPTS) expect(c.terms.length).toBeGreaterThan(0)
  })
  it('every phrase tokenises to something', () => {
    for (const c of CONCEPTS) {
      for (const t of [...c.terms, ...(c.exclusions ?? []), ...(c.anatomy ?? [])]) {
        const phrase = typeof t === 'string' ? t : t.phrase
        for (const part of phrase.split('...')) expect(tokenizePhrase(part).length, `${c.id}: ${phrase}`).toBeGreaterThan(0)
      }
    }
  })
  it('every built-in label except No Finding draws on known concepts', () => {
    for (const set of [CHEXPERT14, CHESTXRAY14]) {
      for (const label of set.labels) {
        const ids = BUILTIN_LABEL_CONCEPTS[set.slug][label.name]
        expect(ids, `${set.slug} ${label.name}`).toBeDefined()
        if (label.name !== 'No Finding') expect(conceptsForLabel(set, label).length).toBeGreaterThan(0)
      }
    }
  })
  it('custom labels find concepts by name, synonyms included', () => {
    const custom = { slug: 'x' }
    expect(conceptsForLabel(custom, { name: 'pleural_effusion' }).map((c) => c.id)).toEqual(['pleural_effusion'])
    expect(conceptsForLabel(custom, { name: 'Lung Lesion' }).map((c) => c.id).sort()).toEqual([
      'lung_lesion',
      'mass',
      'nodule'
    ])
    expect(conceptsForLabel(custom, { name: 'Granuloma' })).toEqual([])
  })
})

describe('mapPhraseToLabels', () => {
  it.each([
    ['small left pleural effusion', CHEXPERT14, ['Pleural Effusion']],
    ['small left pleural effusion', CHESTXRAY14, ['Effusion']],
    ['right lower lobe pneumonia', CHEXPERT14, ['Pneumonia']],
    ['bibasilar atelectasis', CHESTXRAY14, ['Atelectasis']],
    ['enlarged cardiac silhouette', CHEXPERT14, ['Cardiomegaly']],
    ['moderate hiatal hernia', CHESTXRAY14, ['Hernia']],
    ['PTX', CHESTXRAY14, ['Pneumothorax']],
    ['CHF', CHEXPERT14, ['Edema']],
    ['CHF', CHESTXRAY14, []],
    ['spiculated lung nodule', CHEXPERT14, ['Lung Lesion']],
    ['lobar consolidation with effusion', CHEXPERT14, ['Consolidation', 'Pleural Effusion']],
    ['possible early pneumonia', CHESTXRAY14, ['Pneumonia']],
    ['no pneumothorax', CHESTXRAY14, []],
    ['degenerative changes of the spine', CHEXPERT14, []],
    ['pericardial effusion', CHESTXRAY14, []]
  ])('%s -> %j', (phrase, set, labels) => {
    expect(mapPhraseToLabels(phrase, set)).toEqual(labels)
  })
  it('never returns the derived No Finding label', () => {
    expect(mapPhraseToLabels('normal chest', CHEXPERT14)).toEqual([])
  })
})
