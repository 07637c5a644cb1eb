// Parsing and normalisation of LLM answers, on canned outputs (well-formed, sloppy and malformed).
import { describe, expect, it } from 'vitest'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, labelReport } from '../../src/common/rules'
import type { LabelSetDefinition } from '../../src/common/types'
import { LlmAnswerError, NO_QUOTE, QUOTE_NOT_FOUND, locateQuote, normaliseState, parseAnswer } from '../../src/node/engines/llm/parse'

const report = 'FINDINGS: The heart is  enlarged. Small left pleural effusion.\nNo pneumothorax. Possible early pneumonia.'

const mini: LabelSetDefinition = {
  slug: 'mini',
  name: 'Mini',
  labels: [{ name: 'Cardiomegaly' }, { name: 'Pleural Effusion' }, { name: 'Pneumothorax' }, { name: 'Pneumonia' }]
}

describe('locateQuote', () => {
  it('finds exact quotes with their offsets', () => {
    const span = locateQuote(report, 'Small left pleural effusion')!
    expect(report.slice(span.start, span.end)).toBe('Small left pleural effusion')
  })
  it('tolerates case, whitespace runs and edge punctuation', () => {
    const span = locateQuote(report, '"the heart is enlarged."')!
    expect(report.slice(span.start, span.end)).toBe('The heart is  enlarged')
  })
  it('returns null for text that is not in the report', () => {
    expect(locateQuote(report, 'large right effusion')).toBeNull()
    expect(locateQuote(report, '   ')).toBeNull()
  })
})

describe('normaliseState', () => {
  it('maps synonyms and CSV codes', () => {
    expect(normaliseState('Positive')).toBe('positive')
    expect(normaliseState('present')).toBe('positive')
    expect(normaliseState(1)).toBe('positive')
    expect(normaliseState('-1')).toBe('uncertain')
    expect(normaliseState('not mentioned')).toBe('not_mentioned')
    expect(normaliseState('Not-Mentioned')).toBe('not_mentioned')
    expect(normaliseState(null)).toBe('not_mentioned')
    expect(normaliseState('sometimes')).toBeUndefined()
    expect(normaliseState({})).toBeUndefined()
    expect(normaliseState('constructor')).toBeUndefined()
  })
})

describe('parseAnswer: classification', () => {
  it('reads states, attaches located evidence and flags quotes not in the report', () => {
    const raw = JSON.stringify({
      labels: { Cardiomegaly: 'positive', 'Pleural Effusion': 'positive', Pneumothorax: 'negative', Pneumonia: 'uncertain' },
      evidence: [
        { label: 'Cardiomegaly', quote: 'The heart is  enlarged' },
        { label: 'Pleural Effusion', quote: 'large right effusion' }
      ]
    })
    const { decisions, findings } = parseAnswer(raw, { task: 'classify', labelSet: mini, text: report })
    expect(findings).toBeUndefined()
    const by = Object.fromEntries(decisions.map((d) => [d.label, d]))
    expect(by.Cardiomegaly!.state).toBe('positive')
    const ev = by.Cardiomegaly!.evidence[0]!
    expect(report.slice(ev.start, ev.end)).toBe('The heart is  enlarged')
    expect(ev.note).toBeUndefined()
    expect(by['Pleural Effusion']!.evidence[0]!.note).toBe(QUOTE_NOT_FOUND)
    expect(by['Pleural Effusion']!.evidence[0]!.text).toBe('large right effusion')
    expect(by.Pneumothorax!.state).toBe('negative')
    expect(by.Pneumothorax!.evidence).toEqual([])
    expect(by.Pneumonia!.state).toBe('uncertain')
    expect(by.Pneumonia!.evidence[0]!.note).toBe(NO_QUOTE)
  })

  it('accepts label-name spelling variants and ignores labels outside the set', () => {
    const raw = '{"labels": {"pleural_effusion": "1", "cardiomegaly": "absent", "Hernia": "positive"}, "evidence": []}'
    const { decisions } = parseAnswer(raw, { task: 'classify', labelSet: mini, text: report })
    expect(decisions.map((d) => d.label).sort()).toEqual(['Cardiomegaly', 'Pleural Effusion', 'Pneumonia', 'Pneumothorax'])
    expect(decisions.find((d) => d.label === 'Pleural Effusion')!.state).toBe('positive')
    expect(decisions.find((d) => d.label === 'Cardiomegaly')!.state).toBe('negative')
    const missing = decisions.find((d) => d.label === 'Pneumonia')!
    expect(missing.state).toBe('not_mentioned')
    expect(missing.rule).toBe('llm:classify:missing')
  })

  it('derives CheXpert No Finding instead of asking for it: positive, or negative naming what blocks it', () => {
    const none = parseAnswer('{"labels": {"Support Devices": "positive"}, "evidence": []}', { task: 'classify', labelSet: CHEXPERT14, text: report })
    expect(none.decisions.find((d) => d.label === 'No Finding')).toMatchObject({ state: 'positive', rule: 'aggregation:chexpert (no finding other than support devices)' })
    const some = parseAnswer('{"labels": {"Edema": "uncertain"}, "evidence": []}', { task: 'classify', labelSet: CHEXPERT14, text: report })
    expect(some.decisions.find((d) => d.label === 'No Finding')).toMatchObject({ state: 'negative', rule: 'aggregation:chexpert (Edema is uncertain)' })
    expect(some.decisions).toHaveLength(14)
    const open = parseAnswer('{"findings": [{"phrase": "pleural effusion", "quote": "Small left pleural effusion"}]}', { task: 'open', labelSet: CHEXPERT14, text: report })
    expect(open.decisions.find((d) => d.label === 'No Finding')!.state).toBe('negative')
  })

  it('gives No Finding exactly the state and rule the rules engine gives, for the same other labels', () => {
    const compiled = compileLabelSet(CHEXPERT14)
    const reports = [
      'FINDINGS: Heart size is normal. Lungs are clear. No pleural effusion or pneumothorax.',
      'FINDINGS: Endotracheal tube in place. Lungs are clear.',
      'FINDINGS: Possible early pneumonia in the right lower lobe.',
      'IMPRESSION: Cardiomegaly with small bilateral pleural effusions.',
      'FINDINGS: No acute cardiopulmonary process.'
    ]
    for (const text of reports) {
      const rules = labelReport(text, [], compiled, 'whole')
      const answer = { labels: Object.fromEntries(rules.filter((d) => d.label !== 'No Finding').map((d) => [d.label, d.state])), evidence: [] }
      const llm = parseAnswer(JSON.stringify(answer), { task: 'classify', labelSet: CHEXPERT14, text })
      const pick = (ds: { label: string; state: string; rule?: string }[]) => ds.find((d) => d.label === 'No Finding')!
      expect({ state: pick(llm.decisions).state, rule: pick(llm.decisions).rule }, text).toEqual({ state: pick(rules).state, rule: pick(rules).rule })
    }
  })

  it('rejects malformed answers with a clear reason', () => {
    const ctx = { task: 'classify' as const, labelSet: mini, text: report }
    expect(() => parseAnswer('', ctx)).toThrow(/empty answer/)
    expect(() => parseAnswer('{"labels": {"Cardiomegaly": "pos', ctx)).toThrow(/not valid JSON/)
    expect(() => parseAnswer('{"labels": {"Cardiomegaly": "pos', { ...ctx, stopReason: 'maxTokens', maxTokens: 64 })).toThrow(/cut off at the token limit \(64 tokens\)/)
    expect(() => parseAnswer('[1,2]', ctx)).toThrow(/not a JSON object/)
    expect(() => parseAnswer('{"findings": []}', ctx)).toThrow(/no "labels" object/)
    expect(() => parseAnswer('{"labels": {"Cardiomegaly": "sometimes"}}', ctx)).toThrow(LlmAnswerError)
  })
})

describe('parseAnswer: open-ended detection', () => {
  it('maps phrases onto the label set, keeps unmapped ones with label null, and derives positives', () => {
    const raw = JSON.stringify({
      findings: [
        { phrase: 'small left pleural effusion', quote: 'Small left pleural effusion' },
        { phrase: 'Cardiomegaly', quote: 'heart is enlarged' },
        { phrase: 'granuloma', quote: 'calcified granuloma' },
        { phrase: 'no pneumothorax', quote: 'No pneumothorax' },
        { phrase: '', quote: 'x' }
      ]
    })
    const { decisions, findings } = parseAnswer(raw, { task: 'open', labelSet: mini, text: report })
    expect(findings!.map((f) => [f.phrase, f.label])).toEqual([
      ['small left pleural effusion', 'Pleural Effusion'],
      ['Cardiomegaly', 'Cardiomegaly'],
      ['granuloma', null],
      ['no pneumothorax', null]
    ])
    expect(findings![2]!.evidence[0]!.note).toBe(QUOTE_NOT_FOUND)
    expect(decisions.map((d) => [d.label, d.state]).sort()).toEqual([
      ['Cardiomegaly', 'positive'],
      ['Pleural Effusion', 'positive']
    ])
  })

  it('reads both tasks from one answer', () => {
    const raw = '{"findings": [{"phrase": "pneumonia", "quote": "early pneumonia"}], "labels": {"Pneumonia": "uncertain"}, "evidence": [{"label": "Pneumonia", "quote": "Possible early pneumonia"}]}'
    const { decisions, findings } = parseAnswer(raw, { task: 'both', labelSet: mini, text: report })
    expect(findings).toHaveLength(1)
    expect(decisions.find((d) => d.label === 'Pneumonia')!.state).toBe('uncertain')
  })

  it('rejects an answer without a findings list', () => {
    expect(() => parseAnswer('{"labels": {}}', { task: 'open', labelSet: mini, text: report })).toThrow(/no "findings" list/)
    expect(() => parseAnswer('{"findings": "none"}', { task: 'open', labelSet: mini, text: report })).toThrow(/not a list/)
  })
})
