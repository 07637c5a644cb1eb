// explainReport: the trace comes from the same labelReport pass that decides, so its decisions equal
// labelReport's; each mention names its governing trigger; hedges kept as evidence and excluded terms say why.
import { describe, expect, it } from 'vitest'
import { CHESTXRAY14, CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, explainReport, formatExplanation, labelReport } from '../../src/common/rules'

const c14 = compileLabelSet(CHESTXRAY14)
const cx = compileLabelSet(CHEXPERT14)
const TEXTS = [
  'No pneumothorax, pleural effusion, focal consolidation, pulmonary edema, lobar atelectasis, or cardiomegaly.',
  'Opacity may represent early pneumonia. Likely right basilar atelectasis.',
  'Small right pneumothorax, now resolved. Pleural effusion: No. Cardiomegaly: Yes.',
  'Bullous emphysema in the apices. ? Left lower lobe pneumonia. History of rib fracture.'
]

describe('explainReport', () => {
  it.each(TEXTS)('decisions equal labelReport for both hedging modes: %s', (text) => {
    for (const c of [c14, cx]) {
      for (const hedging of ['all', 'probable'] as const) {
        const e = explainReport(text, [], c, 'whole', hedging)
        expect(e.labels.map((l) => l.decision)).toEqual(labelReport(text, [], c, 'whole', { hedging }))
      }
    }
  })

  it('names the governing trigger, its category, direction, window and how it reached the mention', () => {
    const e = explainReport(TEXTS[0], [], cx, 'whole', 'all')
    const cm = e.labels.find((l) => l.label === 'Cardiomegaly')!
    expect(cm.decision.state).toBe('negative')
    expect(cm.mentions).toHaveLength(1)
    expect(cm.mentions[0].trigger).toMatchObject({ rule: 'neg.no', category: 'negation', direction: 'forward', window: 14, side: 'before', reach: 'list' })
    expect(cm.mentions[0].reason).toMatch(/coordinated list/)
  })

  it('explains a hedge kept as evidence under probable hedging', () => {
    const e = explainReport(TEXTS[1], [], c14, 'whole', 'probable')
    const pn = e.labels.find((l) => l.label === 'Pneumonia')!
    expect(pn.decision.state).toBe('not_mentioned')
    expect(pn.decision.evidence.map((x) => x.text)).toContain('may represent')
    expect(pn.mentions[0].outcome).toBe('not_asserted')
    expect(pn.summary).toMatch(/kept as evidence but not asserted/)
    expect(pn.summary).toMatch(/hedging "all"/)
    expect(e.labels.find((l) => l.label === 'Atelectasis')!.decision.state).toBe('uncertain')
  })

  it('names excluded terms', () => {
    const e = explainReport(TEXTS[3], [], c14, 'whole', 'probable')
    const em = e.labels.find((l) => l.label === 'Emphysema')!
    expect(em.decision.state).toBe('not_mentioned')
    expect(em.exclusions[0]).toMatchObject({ text: 'Bullous emphysema' })
    expect(em.summary).toMatch(/Excluded term: "Bullous emphysema"/)
  })

  it('formats a text block per label', () => {
    const out = formatExplanation(explainReport(TEXTS[2], [], cx, 'whole', 'all'), TEXTS[2], ['Pleural Effusion'])
    expect(out).toMatch(/Pleural Effusion: negative/)
    expect(out).toMatch(/trigger: ": No" negation, backward, window 3/)
    expect(out).not.toMatch(/Cardiomegaly/)
  })
})
