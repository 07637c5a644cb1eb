// Failure kinds users report against other labelers (long negated lists, resolution stated after the
// finding, field-style answers, "?" as a hedge, and more), each as several paraphrases written for
// these tests, with positives beside them that must stay positive. CheXpert convention (hedging 'all').
import { describe, expect, it } from 'vitest'
import { CHESTXRAY14, CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, labelReport } from '../../src/common/rules'
import type { LabelState } from '../../src/common/types'

const cx = compileLabelSet(CHEXPERT14)
const c14 = compileLabelSet(CHESTXRAY14)
const S: Record<string, LabelState> = { '1': 'positive', '0': 'negative', '-1': 'uncertain', '': 'not_mentioned' }

function states(text: string, hedging: 'all' | 'probable' = 'all', set = cx): Record<string, LabelState> {
  return Object.fromEntries(labelReport(text, [], set, 'whole', { hedging }).map((d) => [d.label, d.state]))
}
/** expect('...', { Pneumothorax: '0', Cardiomegaly: '1' }) in CheXpert's 1/0/-1/blank notation. */
function check(text: string, want: Record<string, string>, hedging: 'all' | 'probable' = 'all'): void {
  const got = states(text, hedging)
  const gotSome = Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]))
  const wanted = Object.fromEntries(Object.entries(want).map(([k, v]) => [k, S[v]]))
  expect(gotSome, text).toEqual(wanted)
}

describe('kind 1: one negation covers a coordinated list of any length, up to a clause boundary', () => {
  it.each([
    [
      'No pneumothorax, effusion, consolidation, edema, atelectasis, nodule, fracture or enlarged heart.',
      { Pneumothorax: '0', 'Pleural Effusion': '0', Consolidation: '0', Edema: '0', Atelectasis: '0', 'Lung Lesion': '0', Fracture: '0', Cardiomegaly: '0', 'No Finding': '1' }
    ],
    [
      'There is no evidence of focal airspace consolidation, large pleural effusion, pulmonary vascular congestion, interstitial edema, left lower lobe atelectasis, displaced rib fracture, or cardiomegaly.',
      { Consolidation: '0', 'Pleural Effusion': '0', Edema: '0', Atelectasis: '0', Fracture: '0', Cardiomegaly: '0', 'No Finding': '1' }
    ],
    [
      'Without pleural effusion and pneumothorax and consolidation and pulmonary edema and atelectasis and cardiomegaly.',
      { 'Pleural Effusion': '0', Pneumothorax: '0', Edema: '0', Cardiomegaly: '0', 'No Finding': '1' }
    ],
    [
      'Neither pneumothorax, nor pleural effusion, nor consolidation, nor lobar collapse, nor pulmonary edema, nor cardiomegaly is seen.',
      { Pneumothorax: '0', 'Pleural Effusion': '0', Edema: '0', Cardiomegaly: '0', Atelectasis: '0' }
    ],
    [
      'Negative for pneumothorax / pleural effusion / consolidation / pulmonary edema / acute rib fracture / cardiomegaly.',
      { Pneumothorax: '0', Fracture: '0', Cardiomegaly: '0', 'No Finding': '1' }
    ],
    // the list ends at a clause boundary: what follows is asserted
    [
      'No pneumothorax, pleural effusion, focal consolidation, pulmonary edema or lobar atelectasis; the heart is enlarged.',
      { Pneumothorax: '0', Atelectasis: '0', Cardiomegaly: '1', 'No Finding': '0' }
    ],
    [
      'No pleural effusion, pneumothorax, consolidation, pulmonary edema or atelectasis, but there is a displaced rib fracture.',
      { Atelectasis: '0', Fracture: '1' }
    ],
    ['No pneumothorax, the heart is enlarged.', { Pneumothorax: '0', Cardiomegaly: '1' }],
    ['No pneumothorax and the heart is enlarged.', { Pneumothorax: '0', Cardiomegaly: '1' }],
    ['No pleural effusion and pneumothorax is seen.', { 'Pleural Effusion': '0', Pneumothorax: '0' }],
    ['No pneumothorax. Cardiomegaly: yes.', { Pneumothorax: '0', Cardiomegaly: '1', 'No Finding': '0' }]
  ])('%s', (text, want) => check(text, want))
})

describe('kind 2: resolution stated after the finding', () => {
  it.each([
    ['Small right pneumothorax, now resolved.', { Pneumothorax: '0' }],
    ['The left pleural effusion has since cleared.', { 'Pleural Effusion': '0' }],
    ['Right basilar atelectasis seen on the prior film, no longer visible.', { Atelectasis: '0' }],
    ['Previously noted left apical pneumothorax is no longer seen.', { Pneumothorax: '0' }],
    ['Left lower lobe consolidation, which has resolved.', { Consolidation: '0' }],
    ['Pulmonary edema from the prior examination has now resolved.', { Edema: '0' }],
    ['Interval removal of the right chest tube.', { 'Support Devices': '0' }],
    ['The right pleural effusion has resolved, the left effusion persists.', { 'Pleural Effusion': '1' }],
    ['Right pneumothorax, now resolved. Stable cardiomegaly.', { Pneumothorax: '0', Cardiomegaly: '1' }],
    ['Resolution of the left basilar consolidation.', { Consolidation: '0' }],
    ['Pneumonia has not resolved.', { Pneumonia: '1' }],
    ['The right effusion is not yet resolved.', { 'Pleural Effusion': '1' }],
    ['Left effusion, partially resolved.', { 'Pleural Effusion': '1' }],
    ['The previously seen effusion has largely resolved.', { 'Pleural Effusion': '1' }],
    ['Nodule in the right upper lobe, not seen on the prior study.', { 'Lung Lesion': '1' }],
    ['Right pneumothorax, not previously seen.', { Pneumothorax: '1' }]
  ])('%s', (text, want) => check(text, want))
})

describe('kind 3: field-style label: value answers', () => {
  it.each([
    ['Pleural effusion: No. Cardiomegaly: Yes.', { 'Pleural Effusion': '0', Cardiomegaly: '1', 'No Finding': '0' }],
    ['Pneumothorax: none. Edema: present.', { Pneumothorax: '0', Edema: '1' }],
    ['Effusion - absent. Consolidation - present.', { 'Pleural Effusion': '0', Consolidation: '1' }],
    ['Fracture: not seen. Support devices: present.', { Fracture: '0', 'Support Devices': '1' }],
    ['Pneumothorax: negative\nPleural effusion: positive\nCardiomegaly: no', { Pneumothorax: '0', 'Pleural Effusion': '1', Cardiomegaly: '0' }],
    ['Pneumothorax: No\nCardiomegaly: Yes\nEdema: No', { Pneumothorax: '0', Cardiomegaly: '1', Edema: '0' }],
    ['Pneumothorax: no, effusion: no, cardiomegaly: yes.', { Pneumothorax: '0', 'Pleural Effusion': '0', Cardiomegaly: '1' }],
    ['Consolidation: absent; pneumothorax: nil.', { Consolidation: '0', Pneumothorax: '0' }],
    ['Pneumonia: possible.', { Pneumonia: '-1' }],
    ['Atelectasis: likely.', { Atelectasis: '-1' }],
    ['Pneumonia: excluded. Chest tube: removed.', { Pneumonia: '0', 'Support Devices': '0' }],
    ['Pneumothorax negative. Effusion positive.', { Pneumothorax: '0', 'Pleural Effusion': '1' }],
    ['Cardiomegaly: no change.', { Cardiomegaly: '1' }],
    ['Heart size: enlarged.', { Cardiomegaly: '1' }]
  ])('%s', (text, want) => check(text, want))
})

describe('kind 4: "?" and "query" as a hedge', () => {
  it.each([
    ['? Right lower lobe pneumonia.', { Pneumonia: '-1' }],
    ['?pneumonia.', { Pneumonia: '-1' }],
    ['Left basal opacity, ?pneumonia.', { Pneumonia: '-1' }],
    ['Query small left pneumothorax.', { Pneumothorax: '-1' }],
    ['Right base consolidation, query early pneumonia.', { Pneumonia: '-1', Consolidation: '1' }],
    ['Pneumonia?', { Pneumonia: '-1' }],
    ['Small effusion? Otherwise normal.', { 'Pleural Effusion': '-1' }],
    ['? small apical pneumothorax. Cardiomegaly.', { Pneumothorax: '-1', Cardiomegaly: '1' }]
  ])('%s', (text, want) => check(text, want))
})

describe('other kinds users report', () => {
  it.each([
    ['The lungs are free of focal consolidation.', { Consolidation: '0' }],
    ['Lungs clear of any effusion.', { 'Pleural Effusion': '0' }],
    ['Clear lungs without pneumothorax.', { Pneumothorax: '0' }],
    ['Negative for acute rib fracture.', { Fracture: '0' }],
    ['Opacity represents atelectasis rather than pneumonia.', { Pneumonia: '0', Atelectasis: '1' }],
    ['No new consolidation.', { Consolidation: '0' }],
    ['Absence of pleural effusion.', { 'Pleural Effusion': '0' }],
    ['Pneumothorax is not identified.', { Pneumothorax: '0' }],
    ['No pneumothorax is seen.', { Pneumothorax: '0' }],
    ['No focal consolidation or effusion is identified on either side.', { Consolidation: '0', 'Pleural Effusion': '0' }],
    ['Early pneumonia cannot be excluded.', { Pneumonia: '-1' }],
    ['Small effusion not excluded.', { 'Pleural Effusion': '-1' }],
    ["Can't exclude early pneumonia.", { Pneumonia: '-1' }],
    ['Unable to exclude a small pneumothorax.', { Pneumothorax: '-1' }],
    ['Left basilar atelectasis is not unlikely.', { Atelectasis: '-1' }],
    ["A small effusion can't be ruled out.", { 'Pleural Effusion': '-1' }],
    ['Endotracheal tube has been removed.', { 'Support Devices': '0' }],
    ['Chest tube removed.', { 'Support Devices': '0' }],
    ['IMPRESSION: Normal chest.', { 'No Finding': '1' }],
    ['Cardiomediastinal silhouette unremarkable.', { 'Enlarged Cardiomediastinum': '0' }],
    ['Heart size is normal. Left effusion.', { Cardiomegaly: '0', 'Pleural Effusion': '1' }]
  ])('%s', (text, want) => check(text, want))
})

describe('under "probable" hedging (ChestX-ray14 convention), "?" is a possible hedge: not mentioned', () => {
  it('? pneumonia', () => {
    const s = states('? Right lower lobe pneumonia.', 'probable', c14)
    expect(s.Pneumonia).toBe('not_mentioned')
    expect(states('Effusion: no. Cardiomegaly: yes.', 'probable', c14)).toMatchObject({
      Effusion: 'negative',
      Cardiomegaly: 'positive'
    })
  })
})

describe('an addendum is read with the findings and impression', () => {
  it('ADDENDUM: right pleural effusion', async () => {
    const { splitSections } = await import('../../src/common/text/sections')
    const text = 'FINDINGS: Lungs are clear.\n\nIMPRESSION: No acute disease.\n\nADDENDUM: Small right pleural effusion on review.'
    const sections = splitSections(text)
    for (const scope of ['findings_impression', 'impression'] as const) {
      const d = labelReport(text, sections, cx, scope, { hedging: 'all' })
      expect(d.find((x) => x.label === 'Pleural Effusion')!.state, scope).toBe('positive')
    }
  })
})
