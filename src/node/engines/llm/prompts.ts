// Prompt templates for the two tasks of the seed paper: open-ended detection and classification.
// A template is plain data (versioned, viewable, editable): a system prompt, one instruction text per
// task, and few-shot examples. Examples are written as findings (present / uncertain / negated phrases
// with quotes), so that their expected answers follow any label set, custom ones included.
import type { LlmTask, PromptTemplate } from '../../../common/ipc/calls/models'
import type { LabelSetDefinition, LabelState } from '../../../common/types'
import { noFindingIndexOf } from '../../../common/labelsets/noFinding'
import { mapPhrase } from './mapPhrase'

export { LLM_TASKS, promptTemplateSchema } from '../../../common/ipc/calls/models'
export type { LlmTask, PromptTemplate } from '../../../common/ipc/calls/models'

// The synthetic examples below were written for RadLabel; they are not taken from any dataset.
export const DEFAULT_TEMPLATE: PromptTemplate = {
  name: 'radlabel-default',
  version: 1,
  description: 'Instruction style of the seed paper: one instruction per task, answers as JSON, two short examples.',
  system:
    'You are a radiologist assistant that reads radiology reports and extracts findings. ' +
    'Answer only with JSON in the requested format. Quote the report exactly when asked for evidence.',
  open:
    'Given the radiology report, list every disease or finding that is present, each as a short phrase ' +
    '(for example "pleural effusion" or "cardiomegaly"). Do not list findings that the report says are ' +
    'absent or resolved. For each finding give "quote": the words of the report that state it, copied exactly.',
  classify:
    'Given the radiology report, classify each of the labels below as "positive" (present), "negative" ' +
    '(explicitly absent), "uncertain" (possible, suspected or cannot be excluded) or "not_mentioned".\n' +
    'Labels:\n{{labels}}\n' +
    'For every positive or uncertain label add an entry to "evidence" with the label and the words of the ' +
    'report that support it, copied exactly.',
  both:
    'Given the radiology report, first list every disease or finding that is present as a short phrase with a ' +
    'quote copied exactly from the report (leave out findings the report says are absent). Then classify each ' +
    'of the labels below as "positive", "negative", "uncertain" or "not_mentioned".\n' +
    'Labels:\n{{labels}}\n' +
    'For every positive or uncertain label add an entry to "evidence" with the label and an exact quote.',
  examples: [
    {
      report:
        'FINDINGS: The heart is enlarged. Small left pleural effusion. No pneumothorax. ' +
        'IMPRESSION: Cardiomegaly with small left pleural effusion.',
      present: [
        { phrase: 'cardiomegaly', quote: 'The heart is enlarged' },
        { phrase: 'pleural effusion', quote: 'Small left pleural effusion' }
      ],
      uncertain: [],
      negated: [{ phrase: 'pneumothorax', quote: 'No pneumothorax' }]
    },
    {
      report:
        'FINDINGS: Lungs are clear without consolidation. Right basilar opacity may represent atelectasis ' +
        'or early pneumonia. IMPRESSION: Possible early right basilar pneumonia.',
      present: [{ phrase: 'lung opacity', quote: 'Right basilar opacity' }],
      uncertain: [
        { phrase: 'atelectasis', quote: 'may represent atelectasis' },
        { phrase: 'pneumonia', quote: 'Possible early right basilar pneumonia' }
      ],
      negated: [{ phrase: 'consolidation', quote: 'without consolidation' }]
    }
  ]
}

export const BUILTIN_TEMPLATES: readonly PromptTemplate[] = [DEFAULT_TEMPLATE]

/** Labels the model is asked about: CheXpert's derived "No Finding" is computed, not asked. */
export function askedLabels(labelSet: LabelSetDefinition): string[] {
  const noFinding = noFindingIndexOf(labelSet)
  return labelSet.labels.filter((_l, i) => i !== noFinding).map((l) => l.name)
}

function labelList(labelSet: LabelSetDefinition): string {
  const asked = new Set(askedLabels(labelSet))
  return labelSet.labels
    .filter((l) => asked.has(l.name))
    .map((l) => (l.description ? `- ${l.name}: ${l.description}` : `- ${l.name}`))
    .join('\n')
}

export interface ChatTurn {
  role: 'user' | 'assistant'
  text: string
}

export interface RenderedPrompt {
  system: string
  /** Few-shot turns: identical for every report, so they belong to the shared prefix. */
  examples: ChatTurn[]
  /** The last user message is `userPrefix + report text`. */
  userPrefix: string
}

const USER_PREFIX = 'Report:\n'

/** The expected answer to a few-shot example under a task and label set. */
export function exampleAnswer(
  example: PromptTemplate['examples'][number],
  task: LlmTask,
  labelSet: LabelSetDefinition
): Record<string, unknown> {
  const findings = example.present.map((f) => ({ phrase: f.phrase, quote: f.quote }))
  const asked = askedLabels(labelSet)
  const labels: Record<string, LabelState> = Object.fromEntries(asked.map((l) => [l, 'not_mentioned' as LabelState]))
  const evidence: Array<{ label: string; quote: string }> = []
  const assign = (list: { phrase: string; quote: string }[], state: LabelState): void => {
    for (const f of list) {
      for (const label of mapPhrase(f.phrase, labelSet)) {
        if (!(label in labels)) continue
        // Positive wins over uncertain wins over negative when two phrases map to one label.
        const rank = { positive: 3, uncertain: 2, negative: 1, not_mentioned: 0 }
        if (rank[state] > rank[labels[label]!]) labels[label] = state
        if (state !== 'negative' && !evidence.some((e) => e.label === label)) evidence.push({ label, quote: f.quote })
      }
    }
  }
  assign(example.present, 'positive')
  assign(example.uncertain, 'uncertain')
  assign(example.negated, 'negative')
  const kept = evidence.filter((e) => labels[e.label] === 'positive' || labels[e.label] === 'uncertain')
  if (task === 'open') return { findings }
  if (task === 'classify') return { labels, evidence: kept }
  return { findings, labels, evidence: kept }
}

/** The chat turns of a prompt, without the report itself. */
export function renderPrompt(template: PromptTemplate, task: LlmTask, labelSet: LabelSetDefinition): RenderedPrompt {
  const instructions = template[task].replaceAll('{{labels}}', labelList(labelSet))
  const examples: ChatTurn[] = []
  for (const ex of template.examples) {
    examples.push({ role: 'user', text: USER_PREFIX + ex.report })
    examples.push({ role: 'assistant', text: JSON.stringify(exampleAnswer(ex, task, labelSet)) })
  }
  return { system: `${template.system}\n\n${instructions}`, examples, userPrefix: USER_PREFIX }
}

/** A stable id of the template text, recorded in provenance next to name and version. */
export function templateId(template: PromptTemplate): string {
  return `${template.name}@${template.version}`
}
