// JSON schemas the model generates under (as llama.cpp grammars). Every array has maxItems and every
// string a maxLength, so even a model that rambles stops within a bounded number of tokens.
import { LABEL_STATES } from '../../../common/types'
import type { LlmTask } from './prompts'

export interface SchemaLimits {
  /** Most open-ended findings per report. */
  maxFindings: number
  /** Longest phrase / quote, in characters. */
  maxPhraseChars: number
  maxQuoteChars: number
}

export const DEFAULT_LIMITS: SchemaLimits = { maxFindings: 12, maxPhraseChars: 80, maxQuoteChars: 200 }

export type JsonSchema = Record<string, unknown>

export function findingsSchema(limits: SchemaLimits): JsonSchema {
  return {
    type: 'array',
    maxItems: limits.maxFindings,
    items: {
      type: 'object',
      properties: {
        phrase: { type: 'string', maxLength: limits.maxPhraseChars },
        quote: { type: 'string', maxLength: limits.maxQuoteChars }
      },
      required: ['phrase', 'quote']
    }
  }
}

function labelsSchema(labels: string[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(labels.map((l) => [l, { enum: [...LABEL_STATES] }])),
    required: labels
  }
}

function evidenceSchema(labels: string[], limits: SchemaLimits): JsonSchema {
  return {
    type: 'array',
    maxItems: Math.max(1, labels.length),
    items: {
      type: 'object',
      properties: {
        label: { enum: labels },
        quote: { type: 'string', maxLength: limits.maxQuoteChars }
      },
      required: ['label', 'quote']
    }
  }
}

/** The answer schema of a task over the labels the model is asked about. */
export function answerSchema(task: LlmTask, labels: string[], limits: SchemaLimits = DEFAULT_LIMITS): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  if (task !== 'classify') properties.findings = findingsSchema(limits)
  if (task !== 'open') {
    properties.labels = labelsSchema(labels)
    properties.evidence = evidenceSchema(labels, limits)
  }
  return { type: 'object', properties, required: Object.keys(properties) }
}
