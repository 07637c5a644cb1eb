// Detect calls: engines, starting a labelling run (a job), runs and their results per report.
import { z } from 'zod'
import type { Evidence, JobSnapshot, LabelState, Section } from '../../types'
import { LABEL_STATES } from '../../types'
import { call, id, noInput } from '../define'

export interface EngineInfo {
  name: string
  /** The settings the engine accepts (documentation for the UI; validated on start). */
  description: string
}

/** One labelling run (mirrors the run driver's RunInfo). */
export interface DetectRun {
  sourceId: number
  name: string
  engine: string
  labelSetId: number
  labelSetSlug: string
  labelSetVersion: number
  status: string
  config: Record<string, unknown>
  provenance: Record<string, unknown>
  scope: StoredRunScope
  reportsTotal: number
  reportsDone: number
  reportsFailed: number
  /** Reports labelled with a warning (e.g. the scope found no findings/impression text). */
  reportsWarned?: number
  promptTokens: number
  completionTokens: number
  wallMs: number
  error: string | null
  jobId: number | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export interface DetectResultRow {
  reportId: number
  reportKey: string
  preview: string
  /** One state per label of the run's label set, in label order; null = no result yet. */
  states: (LabelState | null)[]
  status: 'done' | 'failed' | 'pending'
  error: string | null
}

export interface DetectResultsPage {
  total: number
  offset: number
  labels: string[]
  items: DetectResultRow[]
}

export interface DetectReportLabel {
  label: string
  state: LabelState
  evidence: Evidence[]
  rule: string | null
}

export interface DetectReportResult {
  sourceId: number
  reportId: number
  reportKey: string
  text: string
  sections: Section[]
  status: 'done' | 'failed' | 'pending'
  error: string | null
  raw: string | null
  labels: DetectReportLabel[]
  /** Open-ended findings (LLM engine), mapped onto the label set where possible. */
  findings: { phrase: string; label: string | null; evidence: Evidence[] }[]
}

const labelSetRef = z.union([id, z.string().trim().min(1).max(120)])
const sourceRef = z.union([id, z.string().trim().min(1).max(300)])

/**
 * Which reports a run labels. Filters intersect (import batches, a review set, the reports another
 * source has not labelled, a list of report ids or keys); then `limit` keeps the first N (by report
 * id) or `sample` a seeded random N. The run driver resolves it once, when the run is created, and
 * stores the chosen reports, so resume labels exactly those.
 */
export const runScopeSchema = z
  .object({
    batchIds: z.array(id).max(1000).optional(),
    reportIds: z.array(id).max(2_000_000).optional(),
    /** Report keys (the ids a site knows: accession or external id). */
    reportKeys: z.array(z.string().trim().min(1).max(500)).max(2_000_000).optional(),
    reviewSet: sourceRef.optional(),
    /** Only reports this source (run, imported or curated labels) has no labels for. */
    unlabelledBy: sourceRef.optional(),
    limit: z.number().int().positive().optional(),
    sample: z.object({ size: z.number().int().positive(), seed: z.number().int().min(0).max(2 ** 32 - 1) }).optional()
  })
  .strict()
  .refine((s) => !(s.limit && s.sample), { message: 'choose either the first N reports (limit) or a random sample, not both' })
export type RunScope = z.input<typeof runScopeSchema>

/**
 * The scope as a run stores it: the request without the long id lists, plus `frozen` when the chosen
 * report ids were stored in run_scope_reports, and how many were given or chosen.
 */
export type StoredRunScope = Omit<RunScope, 'reportIds' | 'reportKeys'> & {
  reportIds?: number[]
  frozen?: boolean
  reportIdsGiven?: number
  reportKeysGiven?: number
  reviewSetName?: string
  unlabelledByName?: string
  chosen?: number
}

export interface ProbeEstimate {
  /** Reports in the scope the full run would label. */
  total: number
  probed: number
  failed: number
  /** The first errors of failed probe reports (what to fix before committing). */
  errors: string[]
  /** Loading the engine (model load, hashing): paid once per run. */
  openSeconds: number
  labelSeconds: number
  reportsPerSecond: number
  tokensPerSecond: number | null
  promptTokensPerReport: number | null
  completionTokensPerReport: number | null
  /** open + total / reportsPerSecond. */
  estimateSeconds: number
}

export const detectCalls = {
  'detect.engines': call<EngineInfo[]>()(noInput),
  /** Creates a run over the workspace (or the given import batches) and starts its job. */
  'detect.start': call<{ run: DetectRun; job: JobSnapshot }>()(
    z.object({
      engine: z.string().trim().min(1).max(40),
      labelSet: labelSetRef,
      config: z.record(z.string(), z.unknown()).default({}),
      name: z.string().trim().max(200).optional(),
      batchIds: z.array(id).max(1000).optional(),
      scope: runScopeSchema.optional()
    })
  ),
  /** How many reports a scope holds, before a run is created (the form shows it as the user edits). */
  'detect.scopeCount': call<{ matching: number; chosen: number }>()(z.object({ scope: runScopeSchema.default({}) })),
  /**
   * Labels a few reports of the scope without storing anything and estimates the full run's time.
   * A job (kind 'detect-probe'); its result is a ProbeEstimate.
   */
  'detect.probe': call<{ job: JobSnapshot }>()(
    z.object({
      engine: z.string().trim().min(1).max(40),
      labelSet: labelSetRef,
      config: z.record(z.string(), z.unknown()).default({}),
      scope: runScopeSchema.default({}),
      reports: z.number().int().min(1).max(100).default(5)
    })
  ),
  'detect.runs': call<DetectRun[]>()(noInput),
  'detect.run': call<DetectRun>()(z.object({ sourceId: id })),
  /** Labels again the reports that failed in a run, as a new job. */
  'detect.rerunFailed': call<{ run: DetectRun; job: JobSnapshot }>()(z.object({ sourceId: id })),
  /** One page of a run's results: one row per report, one state per label. */
  'detect.results': call<DetectResultsPage>()(
    z.object({
      sourceId: id,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
      search: z.string().max(500).optional(),
      /** Only reports where this label has this state ('asserted' = positive or uncertain). */
      label: z.string().max(120).optional(),
      state: z.enum([...LABEL_STATES, 'asserted']).optional(),
      status: z.enum(['done', 'failed', 'pending']).optional()
    })
  ),
  /** One report of a run: text, sections, every label with evidence and deciding rule. */
  'detect.report': call<DetectReportResult>()(z.object({ sourceId: id, reportId: id }))
}
