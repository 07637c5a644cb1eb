import { describe, expect, it } from 'vitest'
import { alignLabels, alignPair, commonReportIds, selectRows } from '../../src/common/eval/align'
import { matrixFromRows } from '../../src/common/eval/states'

describe('label alignment', () => {
  it('matches exact, normalised and mapped names, in the reference order', () => {
    const a = alignLabels(['Effusion', 'Cardiomegaly', 'lung_opacity', 'Hernia'], ['Lung Opacity', 'Pleural Effusion', 'Cardiomegaly', 'Fracture'], {
      mapping: { Effusion: 'Pleural Effusion' }
    })
    expect(a.pairs).toEqual([
      { pred: 'lung_opacity', ref: 'Lung Opacity', label: 'Lung Opacity', how: 'normalised' },
      { pred: 'Effusion', ref: 'Pleural Effusion', label: 'Pleural Effusion', how: 'mapping' },
      { pred: 'Cardiomegaly', ref: 'Cardiomegaly', label: 'Cardiomegaly', how: 'exact' }
    ])
    expect(a.unmatchedPred).toEqual(['Hernia'])
    expect(a.unmatchedRef).toEqual(['Fracture'])
  })

  it('rejects a mapping naming a label that does not exist', () => {
    expect(() => alignLabels(['A'], ['B'], { mapping: { Z: 'B' } })).toThrow(/"Z" is not a label of the prediction/)
    expect(() => alignLabels(['A'], ['B'], { mapping: { A: 'Q' } })).toThrow(/"Q" is not a label of the reference/)
  })

  it('uses the known synonyms of the label sets, after stricter matches', () => {
    const a = alignLabels(['Effusion', 'Infiltration', 'Mass'], ['Pleural Effusion', 'Infiltrates', 'Lung Mass', 'Mass'])
    expect(a.pairs.map((p) => [p.pred, p.ref, p.how])).toEqual([
      ['Effusion', 'Pleural Effusion', 'synonym'],
      ['Infiltration', 'Infiltrates', 'synonym'],
      ['Mass', 'Mass', 'exact']
    ])
    expect(a.unmatchedRef).toEqual(['Lung Mass'])
    expect(alignLabels(['Effusion'], ['Pleural Effusion'], { synonyms: false }).unmatchedPred).toEqual(['Effusion'])
  })
})

describe('report alignment', () => {
  it('keeps the reports both sources cover and remaps columns', () => {
    const pred = matrixFromRows(['Effusion', 'Edema'], [{ Effusion: 'positive' }, { Edema: 'uncertain' }, { Effusion: 'negative' }])
    const ref = matrixFromRows(['Edema', 'Pleural Effusion'], [{ 'Pleural Effusion': 'positive' }, { Edema: 'positive' }])
    const labels = alignLabels(pred.labels, ref.labels, { mapping: { Effusion: 'Pleural Effusion' } })
    const p = alignPair({ reportIds: [30, 10, 20], matrix: pred }, { reportIds: [20, 30], matrix: ref }, labels)
    expect(p.reportIds).toEqual([20, 30])
    expect(p.pred.labels).toEqual(['Edema', 'Pleural Effusion'])
    // report 20: pred row 2 (Effusion negative), ref row 0 (Pleural Effusion positive)
    expect(Array.from(p.pred.states)).toEqual([0, 2, 0, 1])
    expect(Array.from(p.ref.states)).toEqual([0, 1, 1, 0])
  })

  it('intersects several sources and selects rows', () => {
    expect(commonReportIds([[1, 2, 3, 4], [4, 2, 9], [2, 4]])).toEqual([2, 4])
    expect(commonReportIds([[1], [2]])).toEqual([])
    const m = matrixFromRows(['A', 'B'], [{ A: 'positive' }, { B: 'negative' }])
    const s = selectRows({ reportIds: [5, 6], matrix: m }, [6, 5], ['b'], ['B'])
    expect(Array.from(s.states)).toEqual([2, 0])
    expect(() => selectRows({ reportIds: [5], matrix: m }, [7], ['A'], ['A'])).toThrow(/report 7/)
  })
})
