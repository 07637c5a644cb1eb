// Validation failures as sentences about the form: "Choose a model file first.", "Size must be at most
// 100000." Each field is named as the form labels it (FIELD_LABELS; otherwise its key in words), never as
// a schema path with "Invalid input: expected string, received undefined".
import type { z } from 'zod'

interface FieldLabel {
  /** How a sentence names the field: "a model file", "the review set's name". */
  label: string
  /** Chosen from a list or a file dialog ("Choose … first.") rather than typed ("Enter ….") */
  choose?: boolean
}

/** Field keys (the last part of a schema path) as the forms name them. Add a line for a new field. */
export const FIELD_LABELS: Record<string, FieldLabel> = {
  model: { label: 'a model file', choose: true },
  modelPath: { label: 'a model file', choose: true },
  lora: { label: 'a LoRA adapter file', choose: true },
  loraScale: { label: 'the adapter scale' },
  labelSet: { label: 'a label set', choose: true },
  engine: { label: 'a labeler', choose: true },
  name: { label: 'a name' },
  size: { label: 'the number of reports' },
  seed: { label: 'the seed' },
  sequences: { label: 'the number of reports generated in parallel' },
  threads: { label: 'the number of CPU threads' },
  gpuLayers: { label: 'the layers on the GPU' },
  contextSize: { label: 'the context size (tokens per sequence)' },
  batchSize: { label: 'the batch size' },
  maxTokens: { label: 'the maximum answer length (tokens)' },
  promptTemplate: { label: 'a prompt template', choose: true },
  task: { label: 'a task', choose: true },
  gpu: { label: 'a GPU backend', choose: true },
  ref: { label: 'a reference source', choose: true },
  pred: { label: 'a prediction source', choose: true },
  resamples: { label: 'the number of bootstrap resamples' },
  confidence: { label: 'the confidence level' },
  compareSourceIds: { label: 'two sources to compare', choose: true },
  stratifySourceId: { label: 'a source for the strata', choose: true },
  assistSourceId: { label: 'a source to pre-fill from', choose: true },
  reviewerId: { label: 'a reviewer', choose: true },
  path: { label: 'a file', choose: true },
  paths: { label: 'files', choose: true },
  dateFrom: { label: 'the first study date' },
  dateTo: { label: 'the last study date' },
  limit: { label: 'the limit' },
  offset: { label: 'the offset' }
}

type Issue = z.core.$ZodIssue

const words = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase()

function fieldOf(path: readonly PropertyKey[]): FieldLabel | null {
  const key = [...path].reverse().find((p) => typeof p === 'string') as string | undefined
  if (!key) return null
  return FIELD_LABELS[key] ?? { label: `the ${words(key)}` }
}

/** "a model file" -> "The model file", "the size" -> "The size": the field as a sentence's subject. */
function subject(f: FieldLabel): string {
  const l = f.label.replace(/^(a|an) /, 'the ')
  return l.charAt(0).toUpperCase() + l.slice(1)
}

function asked(f: FieldLabel): string {
  return f.choose ? `Choose ${f.label} first.` : `Enter ${f.label}.`
}

/** One issue as one sentence. */
export function issueSentence(issue: Issue): string {
  const f = fieldOf(issue.path)
  const custom = issue.message && !/^(Invalid|Too (small|big)|Expected|Required)/.test(issue.message) ? issue.message : null
  if (!f) return custom ? sentence(custom) : sentence(issue.message)
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined|received null/.test(issue.message)) return asked(f)
      return `${subject(f)} must be ${issue.expected === 'number' || issue.expected === 'int' ? 'a number' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}.`
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return asked(f)
      if (issue.origin === 'array') return Number(issue.minimum) <= 1 ? asked(f) : `Choose at least ${issue.minimum} for ${f.label.replace(/^(a|an) /, '')}.`
      if (issue.origin === 'string') return `${subject(f)} must have at least ${issue.minimum} characters.`
      return `${subject(f)} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}.`
    case 'too_big':
      if (issue.origin === 'string') return `${subject(f)} must have at most ${issue.maximum} characters.`
      if (issue.origin === 'array') return `Choose at most ${issue.maximum} for ${f.label.replace(/^(a|an) /, '')}.`
      return `${subject(f)} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}.`
    case 'invalid_value':
      return `${subject(f)} must be one of: ${issue.values.map(String).join(', ')}.`
    case 'not_multiple_of':
      return `${subject(f)} must be a whole number.`
    default:
      return custom ? `${subject(f)}: ${sentence(custom)}` : `${subject(f)} is not valid.`
  }
}

function sentence(s: string): string {
  const t = s.trim()
  return (t.charAt(0).toUpperCase() + t.slice(1)).replace(/([^.!?])$/, '$1.')
}

/** Every issue (up to five) as sentences about the form, e.g. "Choose a model file first." */
export function formatZodError(error: z.ZodError): string {
  const out: string[] = []
  for (const issue of error.issues.slice(0, 5)) {
    const s = issueSentence(issue)
    if (!out.includes(s)) out.push(s)
  }
  return out.join(' ')
}

/** The issues with their paths, for a form that marks each field (AppError details). */
export function zodIssueDetails(error: z.ZodError): { issues: { path: string; message: string }[] } {
  return { issues: error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: issueSentence(i) })) }
}
