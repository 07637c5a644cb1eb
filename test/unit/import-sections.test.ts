import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { composeReport, splitSections } from '../../src/common/text/sections'

const body = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end)

describe('splitSections', () => {
  it('splits the common headers with offsets into the untouched text', () => {
    const text =
      'EXAMINATION: Chest PA and lateral\nINDICATION: Cough for two weeks.\nCOMPARISON: None.\n\n' +
      'FINDINGS:\nThe heart is normal in size. No pleural effusion.\n\nIMPRESSION:\nNo acute cardiopulmonary process.\n'
    const s = splitSections(text)
    expect(s.map((x) => x.name)).toEqual(['technique', 'indication', 'comparison', 'findings', 'impression'])
    expect(body(text, s[3])).toBe('The heart is normal in size. No pleural effusion.')
    expect(body(text, s[4])).toBe('No acute cardiopulmonary process.')
    expect(s[4].header).toBe('IMPRESSION:')
    expect(text.slice(s[4].headerStart!, s[4].headerStart! + 11)).toBe('IMPRESSION:')
  })

  it('accepts case, numbering, dash and header-on-its-own-line variants', () => {
    const text = '1. Clinical History: fever\n2) Findings - small left effusion\nImpression\nPossible pneumonia.'
    const s = splitSections(text)
    expect(s.map((x) => x.name)).toEqual(['indication', 'findings', 'impression'])
    expect(body(text, s[0])).toBe('fever')
    expect(body(text, s[1])).toBe('small left effusion')
    expect(body(text, s[2])).toBe('Possible pneumonia.')
  })

  it('treats FINDINGS AND IMPRESSION as one findings block and reads uppercase mid-line headers', () => {
    const a = 'FINDINGS AND IMPRESSION: Clear lungs.'
    expect(splitSections(a)).toEqual([
      { name: 'findings', header: 'FINDINGS AND IMPRESSION:', headerStart: 0, start: 25, end: a.length }
    ])
    const b = 'FINDINGS: Heart normal. IMPRESSION: Normal chest.'
    const s = splitSections(b)
    expect(s.map((x) => [x.name, body(b, x)])).toEqual([
      ['findings', 'Heart normal.'],
      ['impression', 'Normal chest.']
    ])
  })

  it('does not split on words inside prose', () => {
    const text = 'The impression is of a small effusion; findings otherwise unremarkable. History of smoking.'
    expect(splitSections(text)).toEqual([{ name: 'whole', start: 0, end: text.length }])
  })

  it('gives a headerless report one whole section and keeps a preamble as other', () => {
    expect(splitSections('Lungs clear.')).toEqual([{ name: 'whole', start: 0, end: 12 }])
    const t = 'FINAL REPORT\nPatient seen.\nIMPRESSION: Normal.'
    const s = splitSections(t)
    expect(s[0]).toMatchObject({ name: 'other', header: 'FINAL REPORT' })
    expect(s.at(-1)).toMatchObject({ name: 'impression' })
    expect(splitSections('')).toEqual([{ name: 'whole', start: 0, end: 0 }])
  })

  it('keeps CRLF text exactly and gives offsets in it', () => {
    const text = 'FINDINGS:\r\nNo effusion.\r\n\r\nIMPRESSION:\r\nNormal.\r\n'
    const s = splitSections(text)
    expect(s.map((x) => body(text, x))).toEqual(['No effusion.', 'Normal.'])
  })
})

describe('composeReport', () => {
  it('builds one text from section fields with exact offsets and skips empty fields', () => {
    const r = composeReport([
      { name: 'findings', text: 'Heart normal.' },
      { name: 'impression', text: 'No acute disease.' },
      { name: 'comparison', text: '  ' }
    ])
    expect(r.text).toBe('FINDINGS: Heart normal.\n\nIMPRESSION: No acute disease.')
    expect(r.sections.map((s) => body(r.text, s))).toEqual(['Heart normal.', 'No acute disease.'])
    expect(r.sections[1].headerStart).toBe(r.text.indexOf('IMPRESSION:'))
  })

  it('round-trips through splitSections for plain field text', () => {
    const word = fc.constantFrom('heart', 'normal', 'lungs', 'clear', 'no', 'effusion', 'mild', 'atelectasis', '.', ',')
    const field = fc.array(word, { minLength: 1, maxLength: 12 }).map((w) => w.join(' '))
    fc.assert(
      fc.property(field, field, (findings, impression) => {
        const r = composeReport([
          { name: 'findings', text: findings },
          { name: 'impression', text: impression }
        ])
        const split = splitSections(r.text)
        expect(split.map((s) => [s.name, body(r.text, s)])).toEqual(r.sections.map((s) => [s.name, body(r.text, s)]))
      })
    )
  })
})
