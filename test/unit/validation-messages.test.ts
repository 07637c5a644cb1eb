// Validation messages read as sentences about the form, naming fields as the forms do.
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { llmConfigSchema } from '../../src/common/ipc/calls/models'
import { samplingSchema } from '../../src/common/ipc/calls/review'
import { formatZodError, zodIssueDetails } from '../../src/common/ipc/validation'

const message = (schema: z.ZodType, input: unknown): string => {
  const r = schema.safeParse(input)
  if (r.success) throw new Error('expected a validation error')
  return formatZodError(r.error)
}

describe('validation messages', () => {
  it('an LLM run with no model chosen says to choose one', () => {
    expect(message(llmConfigSchema, {})).toBe('Choose a model file first.')
    expect(message(llmConfigSchema, { model: '  ' })).toBe('Choose a model file first.')
  })

  it('numbers, choices and names read as sentences', () => {
    expect(message(samplingSchema, { size: 0 })).toBe('The number of reports must be at least 1.')
    expect(message(samplingSchema, { size: 200_000, strategy: 'best' })).toBe(
      'The number of reports must be one of: random, stratified, disagreement, all.'.replace('The number of reports', 'The strategy') +
        ' The number of reports must be at most 100000.'
    )
    expect(message(z.object({ name: z.string().trim().min(1) }), { name: '' })).toBe('Enter a name.')
    expect(message(z.object({ contextSize: z.number() }), { contextSize: 'x' })).toBe('The context size (tokens per sequence) must be a number.')
    expect(message(z.object({ someNewField: z.number() }), {})).toBe('Enter the some new field.')
  })

  it('never shows schema jargon', () => {
    for (const input of [{}, { model: 5 }, { model: 'm.gguf', sequences: 0 }, { model: 'm.gguf', gpu: 'tpu' }]) {
      const text = message(llmConfigSchema, input)
      expect(text).not.toMatch(/Invalid input|expected string|received|>=|<=/)
      expect(text).toMatch(/^[A-Z].*\.$/)
    }
  })

  it('keeps each issue with its path for forms that mark fields', () => {
    const r = llmConfigSchema.safeParse({})
    expect(r.success).toBe(false)
    if (!r.success) expect(zodIssueDetails(r.error).issues).toEqual([{ path: 'model', message: 'Choose a model file first.' }])
  })
})
