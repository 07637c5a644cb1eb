// Domain types shared by every layer (main, CLI, renderer, tests). Plain data only.

/** The four states every engine, reviewer and reference source speaks. */
export const LABEL_STATES = ['positive', 'negative', 'uncertain', 'not_mentioned'] as const
export type LabelState = (typeof LABEL_STATES)[number]

/** CheXpert/MIMIC CSV convention: 1 / 0 / -1 / empty. */
export const STATE_TO_CSV: Record<LabelState, string> = {
  positive: '1',
  negative: '0',
  uncertain: '-1',
  not_mentioned: ''
}

/** Character offsets (UTF-16 code units, i.e. JS string indices) into a report's original text. */
export interface Span {
  start: number
  end: number
}

export const SECTION_NAMES = [
  'findings',
  'impression',
  'indication',
  'comparison',
  'technique',
  'other',
  'whole'
] as const
export type SectionName = (typeof SECTION_NAMES)[number]

/** A section of a report: `start`/`end` cover the body (header excluded); `headerStart` where the header began. */
export interface Section extends Span {
  name: SectionName
  /** The header exactly as written, e.g. "IMPRESSION:"; absent for a headerless 'whole' section. */
  header?: string
  headerStart?: number
}

/** Why a label got its state: a span of the original text and the rule that decided. */
export interface Evidence extends Span {
  text: string
  /** Identifier of the lexicon term / context rule / engine step that produced this evidence. */
  rule?: string
  /** Free text, e.g. "quote not found in report" for an LLM quote that failed the check. */
  note?: string
}

/** One label's state for one report, from any source (engine, import, review). */
export interface LabelDecision {
  label: string
  state: LabelState
  evidence: Evidence[]
  /** The rule that decided the state (rules engine), or the engine step (LLM). */
  rule?: string
}

export interface LabelDefinition {
  name: string
  description?: string
  /** Mention terms for the shared lexicon (custom label sets bring their own). */
  terms?: string[]
  /** Phrases that contain a term but are not a mention of this label. */
  exclusions?: string[]
}

export interface LabelSetDefinition {
  /** Stable id used on the CLI, e.g. 'chexpert14'. */
  slug: string
  name: string
  description?: string
  labels: LabelDefinition[]
  /** Post-processing rule across labels, e.g. CheXpert's "No Finding". */
  aggregation?: 'chexpert' | 'none'
  /**
   * The set's hedging convention for the rules engine (a run may override it): 'all' = every hedge is
   * uncertain (CheXpert); 'probable' = only probable hedges are, possible ones are not mentioned.
   * Default: 'all' with CheXpert aggregation, else 'probable'.
   */
  hedging?: 'all' | 'probable'
  /**
   * Site context rules (custom sets): trigger phrases compiled into the rules engine with the built-in
   * ones; a site rule with the same phrase as a built-in rule replaces it. Versioned with the set.
   */
  contextRules?: SiteContextRule[]
}

/** A context rule a site adds to a custom label set (see docs/RULES-ENGINE.md). */
export interface SiteContextRule {
  /** Optional stable id; defaults to "site.<phrase>". */
  id?: string
  phrase: string
  category: 'negation' | 'uncertainty' | 'historical' | 'pseudo' | 'terminator'
  direction?: 'forward' | 'backward' | 'both'
  /** Tokens between trigger and mention (default 6). */
  window?: number
  /** Uncertainty only (default 'possible'). */
  strength?: 'probable' | 'possible'
  note?: string
}

/** What the report text scope option selects for labelling. */
export const TEXT_SCOPES = ['whole', 'findings_impression', 'impression'] as const
export type TextScope = (typeof TEXT_SCOPES)[number]

/** Job lifecycle shared by import, detection and evaluation. */
export const JOB_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'cancelled',
  'failed',
  'interrupted'
] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export interface JobProgress {
  done: number
  total: number | null
  unit: string
  /** Units per second over the recent window. */
  rate?: number
  etaSeconds?: number
  message?: string
  /** Free-form counters, e.g. { added, duplicates, tokensPerSecond }. */
  counters?: Record<string, number>
}

export interface JobSnapshot {
  id: number
  kind: string
  title: string
  status: JobStatus
  progress: JobProgress
  error: string | null
  result: unknown
  createdAt: string
  updatedAt: string
}
