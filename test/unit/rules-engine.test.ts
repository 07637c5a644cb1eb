// The rules engine as a whole: sections and scope, evidence offsets, deciding rules, per-label
// phrasings, CheXpert aggregation, custom label sets and determinism. Synthetic reports only.
import { describe, expect, it } from 'vitest'
import { CHESTXRAY14, CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, compiledFor, expandPhrase, labelReport, selectScope } from '../../src/common/rules'
import type { LabelSetDefinition, Section } from '../../src/common/types'

const cx = compileLabelSet(CHEXPERT14)
const c14 = compileLabelSet(CHESTXRAY14)
const get = (ds: ReturnType<typeof labelReport>, label: string) => ds.find((d) => d.label === label)!

const REPORT =
  'INDICATION: Cough, rule out pneumonia.\n' +
  'FINDINGS: Heart size is normal. Small left pleural effusion. No pneumothorax.\n' +
  'IMPRESSION: Left basilar atelectasis.'
function sectionsOf(text: string): Section[] {
  const out: Section[] = []
  for (const [name, header] of [
    ['indication', 'INDICATION:'],
    ['findings', 'FINDINGS:'],
    ['impression', 'IMPRESSION:']
  ] as const) {
    const h = text.indexOf(header)
    const start = h + header.length
    const next = text.indexOf('\n', start)
    out.push({ name, header, headerStart: h, start, end: next < 0 ? text.length : next })
  }
  return out
}

describe('text scope', () => {
  const sections = sectionsOf(REPORT)
  it('whole reads every section, including the indication', () => {
    const ds = labelReport(REPORT, sections, cx, 'whole', { hedging: 'all' })
    expect(get(ds, 'Pneumonia').state).toBe('uncertain') // "rule out pneumonia"
    expect(get(ds, 'Pleural Effusion').state).toBe('positive')
  })
  it('findings_impression skips the indication', () => {
    const ds = labelReport(REPORT, sections, cx, 'findings_impression')
    expect(get(ds, 'Pneumonia').state).toBe('not_mentioned')
    expect(get(ds, 'Pleural Effusion').state).toBe('positive')
    expect(get(ds, 'Atelectasis').state).toBe('positive')
  })
  it('impression reads only the impression', () => {
    const ds = labelReport(REPORT, sections, cx, 'impression')
    expect(get(ds, 'Pleural Effusion').state).toBe('not_mentioned')
    expect(get(ds, 'Atelectasis').state).toBe('positive')
  })
  it('no sections: the whole text is one section', () => {
    expect(selectScope('abc', [], 'impression')).toEqual([{ start: 0, end: 3 }])
  })
  it('a headerless report falls back to its whole section', () => {
    const text = 'Mild cardiomegaly.'
    const ds = labelReport(text, [{ name: 'whole', start: 0, end: text.length }], cx, 'impression')
    expect(get(ds, 'Cardiomegaly').state).toBe('positive')
  })
})

describe('evidence and deciding rule', () => {
  it('evidence spans are offsets into the original text', () => {
    const ds = labelReport(REPORT, sectionsOf(REPORT), cx, 'findings_impression')
    for (const d of ds) {
      for (const e of d.evidence) expect(REPORT.slice(e.start, e.end)).toBe(e.text)
    }
    const eff = get(ds, 'Pleural Effusion')
    expect(eff.evidence[0].text).toBe('pleural effusion')
    expect(eff.rule).toBe('lexicon:pleural_effusion "pleural effusion"')
  })
  it('a negated label names the trigger rule and shows the trigger as evidence', () => {
    const ds = labelReport(REPORT, sectionsOf(REPORT), cx, 'findings_impression')
    const ptx = get(ds, 'Pneumothorax')
    expect(ptx.state).toBe('negative')
    expect(ptx.rule).toBe('neg.no')
    expect(ptx.evidence.map((e) => e.text)).toEqual(['pneumothorax', 'No'])
  })
  it('offsets stay right with CRLF line endings and non-ASCII text', () => {
    const text = 'Befund:\r\n  Größe normal.\r\n\r\nSmall right pneumothorax.'
    const d = get(labelReport(text, [], cx), 'Pneumothorax')
    expect(d.state).toBe('positive')
    expect(text.slice(d.evidence[0].start, d.evidence[0].end)).toBe('pneumothorax')
  })
  it('one decision per label, in label-set order, deterministic', () => {
    const a = labelReport(REPORT, sectionsOf(REPORT), cx, 'whole')
    const b = labelReport(REPORT, sectionsOf(REPORT), cx, 'whole')
    expect(a.map((d) => d.label)).toEqual(CHEXPERT14.labels.map((l) => l.name))
    expect(a).toEqual(b)
  })
  it('empty text gives every label not_mentioned (No Finding positive)', () => {
    const ds = labelReport('', [], cx)
    expect(ds.filter((d) => d.state !== 'not_mentioned').map((d) => d.label)).toEqual(['No Finding'])
  })
})

describe('CheXpert aggregation: No Finding', () => {
  it('positive when nothing is positive or uncertain', () => {
    const ds = labelReport('No pneumothorax or effusion. Heart size normal.', [], cx)
    expect(get(ds, 'No Finding').state).toBe('positive')
  })
  it('support devices alone do not prevent No Finding', () => {
    const ds = labelReport('Right PICC line with tip in the SVC. Lungs are clear.', [], cx)
    expect(get(ds, 'Support Devices').state).toBe('positive')
    expect(get(ds, 'No Finding').state).toBe('positive')
  })
  it('a positive finding makes it negative, naming the finding', () => {
    const d = get(labelReport('Mild cardiomegaly.', [], cx), 'No Finding')
    expect(d.state).toBe('negative')
    expect(d.rule).toContain('Cardiomegaly')
  })
  it('an uncertain finding also prevents it', () => {
    expect(get(labelReport('Probable small effusion.', [], cx), 'No Finding').state).toBe('negative')
  })
  it('ChestX-ray14 has no aggregation', () => {
    expect(labelReport('Mild cardiomegaly.', [], c14).some((d) => d.label === 'No Finding')).toBe(false)
  })
})

describe('typical phrasings per label', () => {
  const cases: [string, string, string][] = [
    // [label set, label, sentence]
    ['chexpert14', 'Enlarged Cardiomediastinum', 'The mediastinum is widened.'],
    ['chexpert14', 'Enlarged Cardiomediastinum', 'Enlarged cardiomediastinal silhouette.'],
    ['chexpert14', 'Cardiomegaly', 'Moderate cardiomegaly.'],
    ['chexpert14', 'Cardiomegaly', 'The heart is mildly enlarged.'],
    ['chexpert14', 'Cardiomegaly', 'Enlargement of the cardiac silhouette.'],
    ['chexpert14', 'Lung Lesion', 'Spiculated mass in the right upper lobe.'],
    ['chexpert14', 'Lung Lesion', 'Multiple pulmonary nodules.'],
    ['chexpert14', 'Lung Lesion', 'Cavitary lesion in the left apex.'],
    ['chexpert14', 'Lung Opacity', 'Patchy opacities in both lung bases.'],
    ['chexpert14', 'Lung Opacity', 'Right lower lobe airspace disease.'],
    ['chexpert14', 'Edema', 'Mild interstitial pulmonary edema.'],
    ['chexpert14', 'Edema', 'Findings of CHF.'],
    ['chexpert14', 'Edema', 'Pulmonary vascular congestion.'],
    ['chexpert14', 'Consolidation', 'Dense consolidation of the left lower lobe.'],
    ['chexpert14', 'Pneumonia', 'Right middle lobe pneumonia.'],
    ['chexpert14', 'Atelectasis', 'Plate-like atelectasis at the left base.'],
    ['chexpert14', 'Atelectasis', 'Bibasilar atelectatic changes.'],
    ['chexpert14', 'Atelectasis', 'Collapse of the left lower lobe.'],
    ['chexpert14', 'Pneumothorax', 'Small apical PTX on the right.'],
    ['chexpert14', 'Pneumothorax', 'Bilateral pneumothoraces.'],
    ['chexpert14', 'Pleural Effusion', 'Bilateral pleural effusions, small.'],
    ['chexpert14', 'Pleural Effusion', 'Layering pleural fluid on the right.'],
    ['chexpert14', 'Pleural Other', 'Calcified pleural plaques.'],
    ['chexpert14', 'Pleural Other', 'Biapical pleural thickening.'],
    ['chexpert14', 'Fracture', 'Healing fracture of the left 6th rib.'],
    ['chexpert14', 'Fracture', 'Old right clavicle fx.'],
    ['chexpert14', 'Support Devices', 'Endotracheal tube 4 cm above the carina.'],
    ['chexpert14', 'Support Devices', 'Dual-lead pacemaker in place.'],
    ['chestxray14', 'Effusion', 'Small right pleural effusion.'],
    ['chestxray14', 'Infiltration', 'Patchy infiltrates in the right lung.'],
    ['chestxray14', 'Mass', 'A 4 cm mass in the left hilum.'],
    ['chestxray14', 'Nodule', 'A 6 mm calcified nodule in the right upper lobe.'],
    ['chestxray14', 'Emphysema', 'Hyperinflated lungs with emphysematous changes.'],
    ['chestxray14', 'Fibrosis', 'Bibasilar pulmonary fibrosis.'],
    ['chestxray14', 'Pleural_Thickening', 'Apical pleural thickening.'],
    ['chestxray14', 'Pleural_Thickening', 'Thickening of the left lateral pleura.'],
    ['chestxray14', 'Hernia', 'Moderate hiatal hernia.'],
    ['chestxray14', 'Hernia', 'Small hiatus hernia behind the heart.'],
    ['chestxray14', 'Cardiomegaly', 'Cardiomegally.'],
    ['chestxray14', 'Pneumothorax', 'Tiny left pnuemothorax.']
  ]
  it.each(cases)('%s %s: %s', (slug, label, text) => {
    const c = slug === 'chexpert14' ? cx : c14
    expect(get(labelReport(text, [], c), label).state).toBe('positive')
  })
})

describe('exclusions', () => {
  it.each([
    ['Small pericardial effusion.', 'Effusion'],
    ['Subcutaneous emphysema in the left chest wall.', 'Emphysema'],
    ['Right hydropneumothorax.', 'Pneumothorax'],
    ['History of cystic fibrosis.', 'Fibrosis'],
    ['Mass effect on the trachea.', 'Mass'],
    ['Small umbilical hernia.', 'Hernia'],
    ['Nodular opacity in the left base.', 'Nodule']
  ])('%s is not %s', (text, label) => {
    expect(get(labelReport(text, [], c14), label).state).toBe('not_mentioned')
  })
  it('an exclusion only blocks its own concept', () => {
    const ds = labelReport('Subcutaneous emphysema and a right pneumothorax.', [], c14)
    expect(get(ds, 'Emphysema').state).toBe('not_mentioned')
    expect(get(ds, 'Pneumothorax').state).toBe('positive')
  })
})

describe('custom label sets', () => {
  const custom: LabelSetDefinition = {
    slug: 'site-set',
    name: 'Site set',
    labels: [
      { name: 'pleural-effusion' },
      { name: 'Granuloma', terms: ['granuloma[s]', 'granulomata', 'calcified granuloma'], exclusions: ['no granulomatous'] },
      { name: 'Scoliosis', terms: ['scoliosis', 'dextroscoliosis', 'levoscoliosis'] }
    ]
  }
  const c = compiledFor(custom)
  it('a label named like a concept uses the lexicon', () => {
    expect(get(labelReport('Small left effusion.', [], c), 'pleural-effusion').state).toBe('positive')
  })
  it('labels bring their own terms, and context rules apply to them', () => {
    const ds = labelReport('A calcified granuloma in the right lung. No scoliosis.', [], c)
    expect(get(ds, 'Granuloma').state).toBe('positive')
    expect(get(ds, 'Scoliosis').state).toBe('negative')
    expect(get(ds, 'Granuloma').rule).toBe('lexicon:label:Granuloma "calcified granuloma"')
  })
  it('compiles once per label-set object', () => {
    expect(compiledFor(custom)).toBe(c)
  })
})

describe('phrase syntax', () => {
  it('expands optional suffixes', () => {
    expect(expandPhrase('pleural effusion[s]')).toEqual(['pleural effusion', 'pleural effusions'])
    expect(expandPhrase('a[b] c[d]')).toEqual(['a c', 'a cd', 'ab c', 'ab cd'])
  })
})
