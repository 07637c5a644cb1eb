// Which label set a reference-label file's columns belong to (preselects the label set when importing labels).
import { describe, expect, it } from 'vitest'
import { BUILTIN_LABEL_SETS } from '../../src/common/labelsets'
import { inferLabelSet } from '../../src/common/labelsets/infer'

describe('inferLabelSet', () => {
  it('recognises CheXpert-style columns, ignoring the id and text columns', () => {
    const cols = ['study_id', 'report', 'No Finding', 'Enlarged Cardiomediastinum', 'Cardiomegaly', 'Lung Opacity', 'Pleural Effusion', 'Support Devices']
    expect(inferLabelSet(cols, BUILTIN_LABEL_SETS)).toEqual({ slug: 'chexpert14', matched: 6, total: 14 })
  })

  it('recognises ChestX-ray14 columns, underscores and case notwithstanding', () => {
    const cols = ['uid', 'effusion', 'Infiltration', 'Mass', 'Nodule', 'Emphysema', 'Fibrosis', 'Pleural_Thickening', 'HERNIA']
    expect(inferLabelSet(cols, BUILTIN_LABEL_SETS)?.slug).toBe('chestxray14')
  })

  it('prefers the set whose names match exactly when synonyms tie', () => {
    // "Effusion" is ChestX-ray14's name and a synonym of CheXpert's "Pleural Effusion".
    expect(inferLabelSet(['id', 'Effusion', 'Cardiomegaly'], BUILTIN_LABEL_SETS)?.slug).toBe('chestxray14')
    expect(inferLabelSet(['id', 'Pleural Effusion', 'Cardiomegaly'], BUILTIN_LABEL_SETS)?.slug).toBe('chexpert14')
  })

  it('guesses nothing when no column is a label', () => {
    expect(inferLabelSet(['accession', 'findings', 'impression'], BUILTIN_LABEL_SETS)).toBeNull()
    expect(inferLabelSet([], BUILTIN_LABEL_SETS)).toBeNull()
  })
})
