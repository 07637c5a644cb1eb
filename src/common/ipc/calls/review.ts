// Review calls: reviewers, review sets (sampling), the review screen (one report, decisions saved at
// once), double reading (agreement, adjudication), finding reports, and the curated export.
import { z } from 'zod'
import { LABEL_STATES, type Evidence, type LabelState, type Section } from '../../types'
import { call, filePath, id } from '../define'

export const REVIEWER_ROLES = ['radiologist', 'resident', 'adjudicator', 'engineer'] as const
export type ReviewerRole = (typeof REVIEWER_ROLES)[number]

export interface Reviewer {
  id: number
  name: string
  role: ReviewerRole
  createdAt: string
}

export const SAMPLING_STRATEGIES = ['random', 'stratified', 'disagreement', 'all'] as const
export type SamplingStrategy = (typeof SAMPLING_STRATEGIES)[number]

/**
 * What counts as a disagreement between two sources on one label (disagreement sampling):
 * - presence: one says positive or uncertain, the other negative or not mentioned (the default; a
 *   negative against a not-mentioned is no disagreement: both say the finding is absent);
 * - positive: one says positive, the other anything else (uncertain counts as absent);
 * - any-state: any two different states, negative against not mentioned included.
 */
export const DISAGREEMENT_RULES = ['presence', 'positive', 'any-state'] as const
export type DisagreementRule = (typeof DISAGREEMENT_RULES)[number]
export const DISAGREEMENT_RULE_TEXT: Record<DisagreementRule, string> = {
  presence: 'one source positive or uncertain, the other negative or not mentioned',
  positive: 'one source positive, the other not (uncertain counts as absent)',
  'any-state': 'any different state, negative against not mentioned included'
}

export const samplingSchema = z.object({
  strategy: z.enum(SAMPLING_STRATEGIES).default('random'),
  size: z.number().int().min(1).max(100_000).default(100),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** stratified: the source whose predicted labels form the strata. */
  stratifySourceId: id.optional(),
  /** disagreement: the two sources compared; reports where they differ come first. */
  compareSourceIds: z.tuple([id, id]).optional(),
  /** disagreement: which pairs of states count as disagreeing (see DISAGREEMENT_RULES). */
  disagreementRule: z.enum(DISAGREEMENT_RULES).optional(),
  batchIds: z.array(id).max(1000).optional(),
  /** Study date range (inclusive, compared as text: YYYY-MM-DD). */
  dateFrom: z.string().max(40).optional(),
  dateTo: z.string().max(40).optional()
})
export type Sampling = z.output<typeof samplingSchema>

export const REVIEW_MODES = ['blinded', 'assisted'] as const
export type ReviewMode = (typeof REVIEW_MODES)[number]
export type DecisionRole = 'reader' | 'adjudicator'

export interface ReviewSetSummary {
  id: number
  name: string
  labelSetId: number
  labelSetName: string
  mode: ReviewMode
  assistSourceId: number | null
  assistSourceName: string | null
  readersPerReport: 1 | 2
  curatedSourceId: number | null
  curatedSourceName: string | null
  sampling: Sampling
  size: number
  /** Reports with as many completed readings as the set asks for. */
  fullyRead: number
  /** Reports whose curated labels exist (single-read, agreed, or adjudicated). */
  curated: number
  /** Each reader's progress: reports they completed and reports they started (decided at least one label). */
  readers: ReaderProgress[]
  createdAt: string
}

export interface ReaderProgress {
  reviewerId: number
  name: string
  completed: number
  started: number
}

export interface QueueItem {
  reportId: number
  ord: number
  /** This reviewer completed the report (role reader), or settled every disagreement (adjudicator). */
  done: boolean
  flagged: boolean
}

export interface ReviewQueue {
  setId: number
  role: DecisionRole
  items: QueueItem[]
  done: number
}

export interface SourceHighlight {
  sourceId: number
  name: string
  /** 1..4: the mark.hl-N class used for this source's evidence. */
  colour: number
  labels: { labelId: number; state: LabelState; evidence: Evidence[] }[]
}

export interface ReaderDecision {
  reviewer: string
  reviewerId: number
  state: LabelState
  decidedAt: string
}

export interface ReviewLabel {
  labelId: number
  name: string
  /** This reviewer's saved decision (null: not decided yet). */
  decision: LabelState | null
  decidedAt: string | null
  /** Assisted mode: the state pre-filled from the assist source (taken when the report is completed). */
  prefill: LabelState | null
  /** Adjudication only: the two readers' decisions. */
  readers?: ReaderDecision[]
  /** Adjudication only: the readers disagree on this label. */
  disagreement?: boolean
}

export interface ReviewReport {
  setId: number | null
  /** The set's mode (null outside a set): blinded sets show no predictions. */
  mode: ReviewMode | null
  role: DecisionRole | null
  reportId: number
  reportKey: string
  externalId: string | null
  studyDate: string | null
  text: string
  sections: Section[]
  labels: ReviewLabel[]
  highlights: SourceHighlight[]
  flagged: boolean
  comment: string | null
  completedAt: string | null
  /** Position in the set (0-based) and the set size, when opened within a set. */
  position: number | null
  size: number | null
}

export interface DecideResult {
  previous: LabelState | null
  state: LabelState | null
  decidedAt: string
}

export interface RecentDecision {
  reportId: number
  reportKey: string
  labelId: number
  label: string
  state: LabelState
  decidedAt: string
}

export interface LabelAgreementRow {
  label: string
  labelId: number
  /** Reports both readers completed. */
  n: number
  agreement: number | null
  kappa: number | null
  disagreements: number
  adjudicated: number
}

export interface SetAgreement {
  setId: number
  doubleRead: number
  labels: LabelAgreementRow[]
  overall: { n: number; agreement: number | null; kappa: number | null }
  pendingDisagreements: number
  pendingReports: number
}

export interface FoundReport {
  id: number
  reportKey: string
  studyDate: string | null
  preview: string
}

export interface FoundPage {
  total: number
  offset: number
  items: FoundReport[]
}

export interface ReviewExportResult {
  path: string
  rows: number
  columns: string[]
  source: string
}

const state = z.enum(LABEL_STATES)
const role = z.enum(['reader', 'adjudicator'])

export const reviewCalls = {
  'review.reviewers.list': call<Reviewer[]>()(z.object({}).optional().default({})),
  'review.reviewers.create': call<Reviewer>()(
    z.object({ name: z.string().trim().min(1, 'a name is required').max(100), role: z.enum(REVIEWER_ROLES).default('radiologist') })
  ),
  'review.sets.list': call<ReviewSetSummary[]>()(z.object({}).optional().default({})),
  'review.sets.create': call<ReviewSetSummary>()(
    z.object({
      name: z.string().trim().min(1, 'a name is required').max(200),
      labelSet: z.union([z.string().min(1), id]).default('chexpert14'),
      sampling: samplingSchema,
      mode: z.enum(REVIEW_MODES).default('blinded'),
      assistSourceId: id.optional(),
      readersPerReport: z.union([z.literal(1), z.literal(2)]).default(1),
      reviewerId: id.optional()
    })
  ),
  'review.sets.get': call<ReviewSetSummary>()(z.object({ setId: id })),
  'review.queue': call<ReviewQueue>()(z.object({ setId: id, reviewerId: id, role: role.default('reader') })),
  'review.report': call<ReviewReport>()(
    z.object({ reportId: id, setId: id.optional(), reviewerId: id.optional(), role: role.default('reader') })
  ),
  'review.decide': call<DecideResult>()(
    z.object({ setId: id, reportId: id, labelId: id, reviewerId: id, role: role.default('reader'), state: state.nullable() })
  ),
  'review.note': call<{ flagged: boolean; comment: string | null }>()(
    z.object({ setId: id, reportId: id, reviewerId: id, flagged: z.boolean().optional(), comment: z.string().max(5000).nullable().optional() })
  ),
  'review.complete': call<{ completedAt: string; filled: number }>()(
    z.object({ setId: id, reportId: id, reviewerId: id, role: role.default('reader') })
  ),
  'review.recent': call<RecentDecision[]>()(
    z.object({ setId: id, reviewerId: id, limit: z.number().int().min(1).max(200).default(20) })
  ),
  'review.agreement': call<SetAgreement>()(z.object({ setId: id })),
  'review.find': call<FoundPage>()(
    z.object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      search: z.string().max(500).optional(),
      setId: id.optional(),
      sourceId: id.optional(),
      labelId: id.optional(),
      state: state.optional(),
      reviewerId: id.optional(),
      disagreement: z.boolean().optional()
    })
  ),
  'review.export': call<ReviewExportResult>()(z.object({ setId: z.union([id, z.string().min(1)]), path: filePath, overwrite: z.boolean().default(false) }))
}
