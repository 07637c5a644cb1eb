// Prompt templates and answer schemas follow the label set, custom ones included.
import { describe, expect, it } from 'vitest'
import { CHEXPERT14 } from '../../src/common/labelsets'
import type { LabelSetDefinition } from '../../src/common/types'
import { llmConfigSchema } from '../../src/node/engines/llm/config'
import { DEFAULT_TEMPLATE, askedLabels, exampleAnswer, promptTemplateSchema, renderPrompt } from '../../src/node/engines/llm/prompts'
import { answerSchema } from '../../src/node/engines/llm/schema'

const custom: LabelSetDefinition = {
  slug: 'site-ct',
  name: 'Site CT',
  labels: [
    { name: 'Pulmonary Embolism', description: 'Filling defect in a pulmonary artery.', terms: ['embolus', 'pe'] },
    { name: 'Pleural Effusion' },
    { name: 'Cardiomegaly', terms: ['heart is enlarged'] }
  ]
}

describe('prompts', () => {
  it('puts a custom label set into the instructions, with descriptions', () => {
    const p = renderPrompt(DEFAULT_TEMPLATE, 'classify', custom)
    expect(p.system).toContain('- Pulmonary Embolism: Filling defect in a pulmonary artery.')
    expect(p.system).toContain('- Pleural Effusion')
    expect(p.system).not.toContain('{{labels}}')
    expect(p.examples).toHaveLength(DEFAULT_TEMPLATE.examples.length * 2)
  })

  it('derives few-shot answers for the label set from the example findings', () => {
    const [first, second] = DEFAULT_TEMPLATE.examples
    const a = exampleAnswer(first!, 'classify', custom) as { labels: Record<string, string>; evidence: { label: string }[] }
    expect(a.labels).toEqual({ 'Pulmonary Embolism': 'not_mentioned', 'Pleural Effusion': 'positive', Cardiomegaly: 'positive' })
    expect(a.evidence.map((e) => e.label).sort()).toEqual(['Cardiomegaly', 'Pleural Effusion'])
    const b = exampleAnswer(second!, 'classify', CHEXPERT14) as { labels: Record<string, string> }
    expect(b.labels.Pneumonia).toBe('uncertain')
    expect(b.labels.Consolidation).toBe('negative')
    expect(b.labels['Lung Opacity']).toBe('positive')
    expect('No Finding' in b.labels).toBe(false)
    expect(Object.keys(exampleAnswer(first!, 'open', custom))).toEqual(['findings'])
    expect(Object.keys(exampleAnswer(first!, 'both', custom))).toEqual(['findings', 'labels', 'evidence'])
  })

  it('builds bounded answer schemas over exactly the asked labels', () => {
    const s = answerSchema('both', askedLabels(CHEXPERT14), { maxFindings: 5, maxPhraseChars: 40, maxQuoteChars: 100 }) as any // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(s.properties.labels.properties)).toHaveLength(13)
    expect(s.properties.labels.required).toHaveLength(13)
    expect(s.properties.findings.maxItems).toBe(5)
    expect(s.properties.findings.items.properties.quote.maxLength).toBe(100)
    expect(s.properties.evidence.maxItems).toBe(13)
    expect(s.properties.evidence.items.properties.label.enum).toContain('Pleural Effusion')
  })

  it('validates templates and CLI-style settings', () => {
    expect(promptTemplateSchema.safeParse({ ...DEFAULT_TEMPLATE, version: 0 }).success).toBe(false)
    const c = llmConfigSchema.parse({ model: 'm.gguf', sequences: '4', gpuLayers: '20', loraScale: '0.5', lora: 'a.gguf', scope: 'whole' })
    expect(c).toMatchObject({ sequences: 4, gpuLayers: 20, loraScale: 0.5, task: 'classify', gpu: 'auto', isolation: 'process' })
    expect('scope' in c).toBe(false)
    expect(llmConfigSchema.safeParse({ model: 'm.gguf', gpu: 'tpu' }).success).toBe(false)
    expect(llmConfigSchema.safeParse({}).success).toBe(false)
  })
})
