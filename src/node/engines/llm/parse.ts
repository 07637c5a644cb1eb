// Turns a model's raw answer into label decisions and open findings. Lenient about spelling (label
// names, state synonyms) but never guesses: an answer that is not the expected JSON is a per-report error
// that keeps the raw text. Every quote is checked against the report; a quote that is not found is kept
// and flagged in Evidence.note.
import { deriveNoFinding, findLabel, noFindingIndexOf } from '../../../common/labelsets'
import type { Evidence, LabelDecision, LabelSetDefinition, LabelState } from '../../../common/types'
import type { EngineResult, OpenFinding } from '../types'
import { mapPhrase } from './mapPhrase'
import { askedLabels, type LlmTask } from './prompts'

export class LlmAnswerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LlmAnswerError'
  }
}

export const QUOTE_NOT_FOUND = 'quote not found in report'
export const NO_QUOTE = 'no evidence quote given'

const STATE_SYNONYMS: Record<string, LabelState> = {
  positive: 'positive',
  present: 'positive',
  yes: 'positive',
  true: 'positive',
  '1': 'positive',
  negative: 'negative',
  absent: 'negative',
  no: 'negative',
  false: 'negative',
  '0': 'negative',
  uncertain: 'uncertain',
  possible: 'uncertain',
  maybe: 'uncertain',
  '-1': 'uncertain',
  not_mentioned: 'not_mentioned',
  notmentioned: 'not_mentioned',
  none: 'not_mentioned',
  '': 'not_mentioned'
}

export function normaliseState(value: unknown): LabelState | undefined {
  if (value === null || value === undefined) return 'not_mentioned'
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined
  const lookup = (k: string): LabelState | undefined => (Object.hasOwn(STATE_SYNONYMS, k) ? STATE_SYNONYMS[k] : undefined)
  const plain = String(value).trim().toLowerCase()
  const key = plain.replace(/[\s-]+/g, '_')
  return lookup(plain) ?? lookup(key) ?? lookup(key.replace(/_/g, ''))
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Where `quote` occurs in `text`: exact first, then ignoring case, whitespace runs and edge punctuation. */
export function locateQuote(text: string, quote: string): { start: number; end: number } | null {
  const q = quote.trim()
  if (!q) return null
  const exact = text.indexOf(q)
  if (exact >= 0) return { start: exact, end: exact + q.length }
  const core = q.replace(/^[\s"'“”‘’.,;:…]+|[\s"'“”‘’.,;:…]+$/g, '')
  if (!core) return null
  const pattern = core
    .split(/\s+/)
    .map(escapeRe)
    .join('\\s+')
  const m = new RegExp(pattern, 'i').exec(text)
  return m ? { start: m.index, end: m.index + m[0].length } : null
}

export function quoteEvidence(text: string, quote: unknown, rule: string): Evidence {
  const q = typeof quote === 'string' ? quote : ''
  if (!q.trim()) return { start: 0, end: 0, text: '', rule, note: NO_QUOTE }
  const span = locateQuote(text, q)
  if (!span) return { start: 0, end: 0, text: q, rule, note: QUOTE_NOT_FOUND }
  return { ...span, text: text.slice(span.start, span.end), rule }
}

export interface ParsedAnswer {
  decisions: LabelDecision[]
  findings?: OpenFinding[]
}

export interface ParseContext {
  task: LlmTask
  labelSet: LabelSetDefinition
  /** The report text the quotes must come from. */
  text: string
  /** Why generation stopped, to explain a cut-off answer. */
  stopReason?: string
  maxTokens?: number
}

function parseJson(raw: string, ctx: ParseContext): Record<string, unknown> {
  const trimmed = raw.trim()
  if (!trimmed) throw new LlmAnswerError('The model gave an empty answer.')
  let value: unknown
  try {
    value = JSON.parse(trimmed)
  } catch (err) {
    if (ctx.stopReason === 'maxTokens') {
      throw new LlmAnswerError(
        `The model's answer was cut off at the token limit (${ctx.maxTokens ?? '?'} tokens) before the JSON was complete. ` +
          'Raise "max tokens" or lower the number of findings.'
      )
    }
    throw new LlmAnswerError(`The model's answer is not valid JSON (${(err as Error).message}).`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LlmAnswerError('The model\'s answer is not a JSON object.')
  }
  return value as Record<string, unknown>
}

function parseFindings(answer: Record<string, unknown>, ctx: ParseContext): OpenFinding[] {
  const list = answer.findings
  if (list === undefined) throw new LlmAnswerError('The answer has no "findings" list.')
  if (!Array.isArray(list)) throw new LlmAnswerError('"findings" in the answer is not a list.')
  const out: OpenFinding[] = []
  const seen = new Set<string>()
  for (const item of list) {
    const phrase = (typeof item === 'string' ? item : typeof item?.phrase === 'string' ? item.phrase : '').trim()
    if (!phrase) continue
    const quote = typeof item === 'object' && item ? item.quote : undefined
    const evidence = [quoteEvidence(ctx.text, quote, 'llm:open')]
    const labels = mapPhrase(phrase, ctx.labelSet)
    for (const label of labels.length ? labels : [null]) {
      const key = `${phrase.toLowerCase()}\u0000${label}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ phrase, label, evidence })
    }
  }
  return out
}

function parseClassification(answer: Record<string, unknown>, ctx: ParseContext): LabelDecision[] {
  const labels = answer.labels
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new LlmAnswerError('The answer has no "labels" object.')
  }
  const asked = askedLabels(ctx.labelSet)
  const states = new Map<string, LabelState>()
  for (const [key, value] of Object.entries(labels)) {
    const label = findLabel(ctx.labelSet, key)
    if (!label || !asked.includes(label)) continue
    const state = normaliseState(value)
    if (!state) throw new LlmAnswerError(`The answer gives "${String(value)}" for ${label}, which is not a label state.`)
    states.set(label, state)
  }
  const quotes = new Map<string, unknown[]>()
  if (Array.isArray(answer.evidence)) {
    for (const e of answer.evidence) {
      const label = typeof e?.label === 'string' ? findLabel(ctx.labelSet, e.label) : undefined
      if (!label) continue
      quotes.set(label, [...(quotes.get(label) ?? []), e.quote])
    }
  }
  const decisions: LabelDecision[] = asked.map((label) => {
    const state = states.get(label)
    if (!state) return { label, state: 'not_mentioned', evidence: [], rule: 'llm:classify:missing' }
    let evidence: Evidence[] = []
    if (state === 'positive' || state === 'uncertain') {
      const given = quotes.get(label) ?? [undefined]
      evidence = given.map((q) => quoteEvidence(ctx.text, q, 'llm:classify'))
    }
    return { label, state, evidence, rule: 'llm:classify' }
  })
  return withDerivedNoFinding(decisions, ctx.labelSet)
}

/** CheXpert's "No Finding", derived exactly as the rules engine does (src/common/labelsets/noFinding.ts). */
function withDerivedNoFinding(decisions: LabelDecision[], labelSet: LabelSetDefinition): LabelDecision[] {
  const index = noFindingIndexOf(labelSet)
  if (index < 0) return decisions
  const name = labelSet.labels[index]!.name
  const others = decisions.filter((d) => d.label !== name)
  return [...others, deriveNoFinding(name, others)]
}

/** Positive decisions for the labels that open findings map to (open task alone cannot say negative). */
function decisionsFromFindings(findings: OpenFinding[], labelSet: LabelSetDefinition): LabelDecision[] {
  const byLabel = new Map<string, Evidence[]>()
  for (const f of findings) {
    if (!f.label) continue
    byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), ...f.evidence])
  }
  const decisions: LabelDecision[] = [...byLabel].map(([label, evidence]) => ({
    label,
    state: 'positive',
    evidence,
    rule: 'llm:open'
  }))
  return withDerivedNoFinding(decisions, labelSet)
}

export function parseAnswer(raw: string, ctx: ParseContext): ParsedAnswer {
  const answer = parseJson(raw, ctx)
  if (ctx.task === 'open') {
    const findings = parseFindings(answer, ctx)
    return { decisions: decisionsFromFindings(findings, ctx.labelSet), findings }
  }
  const decisions = parseClassification(answer, ctx)
  if (ctx.task === 'classify') return { decisions }
  return { decisions, findings: parseFindings(answer, ctx) }
}

/**
 * A report's engine result from the model's raw answer: parsed decisions (quotes checked against the
 * report), or a per-report error that keeps the raw text. Shared by the in-process llm engine, the
 * server engine and batch-file import.
 */
export function resultFromAnswer(
  reportId: number,
  raw: string,
  ctx: ParseContext,
  tokens: { promptTokens?: number; completionTokens?: number } = {}
): EngineResult {
  try {
    const parsed = parseAnswer(raw, ctx)
    return {
      reportId,
      ok: true,
      decisions: parsed.decisions,
      ...(parsed.findings ? { findings: parsed.findings } : {}),
      raw,
      ...(tokens.promptTokens !== undefined ? { promptTokens: tokens.promptTokens } : {}),
      ...(tokens.completionTokens !== undefined ? { completionTokens: tokens.completionTokens } : {})
    }
  } catch (err) {
    if (err instanceof LlmAnswerError) return { reportId, ok: false, error: err.message, raw }
    throw err
  }
}
