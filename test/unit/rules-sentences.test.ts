// Sentence splitting with offsets (src/common/text/sentences.ts).
import { describe, expect, it } from 'vitest'
import { splitSentences } from '../../src/common/text/sentences'

const split = (t: string): string[] => splitSentences(t).map((s) => t.slice(s.start, s.end))

describe('splitSentences', () => {
  it('splits at periods, question and exclamation marks', () => {
    expect(split('No effusion. Mild cardiomegaly! Pneumonia?')).toEqual(['No effusion.', 'Mild cardiomegaly!', 'Pneumonia?'])
  })
  it('keeps decimals and abbreviations inside a sentence', () => {
    expect(split('A 2.5 cm nodule, approx. 3 mm larger. Stable.')).toEqual(['A 2.5 cm nodule, approx. 3 mm larger.', 'Stable.'])
    expect(split('Compared with Dr. Smith read. Fine.')).toEqual(['Compared with Dr. Smith read.', 'Fine.'])
  })
  it('splits a missing space before a capital', () => {
    expect(split('No effusion.There is atelectasis.')).toEqual(['No effusion.', 'There is atelectasis.'])
  })
  it('splits numbered impressions and blank lines, not wrapped lines', () => {
    expect(split('1. No acute disease\n2. Small effusion')).toEqual(['1.', 'No acute disease', '2.', 'Small effusion'])
    expect(split('Heart size is\nnormal\n\nLungs clear')).toEqual(['Heart size is\nnormal', 'Lungs clear'])
  })
  it('returns trimmed offsets into the original text within a range', () => {
    const t = 'HEADER:  One.  Two.  '
    const s = splitSentences(t, 7)
    expect(s).toEqual([
      { start: 9, end: 13 },
      { start: 15, end: 19 }
    ])
  })
  it('empty and whitespace-only input give no sentences', () => {
    expect(splitSentences('')).toEqual([])
    expect(splitSentences('  \n ')).toEqual([])
  })
})
