// Evaluate calls: prediction source(s) against a reference, agreement between two sources, the reports
// behind one cell (error browser), and the evaluation report as HTML or PDF.
import { z } from 'zod'
import type { CasesResult, EvaluationSettings, StoreAgreement, StoreEvaluation } from '../../eval/results'
import type { JobSnapshot } from '../../types'
import { OUTCOME_NAMES, UNCERTAIN_POLICIES } from '../../eval/states'
import { call, filePath, id, noInput } from '../define'

export interface EvalSourceSummary {
  id: number
  name: string
  kind: 'run' | 'imported' | 'curated'
  labelSet: string
  labelSetVersion: number
  labels: string[]
  reportCount: number
  createdAt: string
  /** False for a source an import or run is still writing, or one that stopped part-way. */
  complete: boolean
  /** A labeler run's status (completed, cancelled, failed, ...); null for imported and curated labels. */
  runStatus: string | null
}

/** A source by id or exact name. */
export const sourceRef = z.union([id, z.string().trim().min(1).max(200)])
/** Prediction label name -> reference label name. */
export const labelMapping = z.record(z.string().min(1).max(200), z.string().min(1).max(200))

export const evaluationInput = z.object({
  pred: z.array(sourceRef).min(1, 'choose at least one prediction source').max(8),
  ref: sourceRef,
  uncertain: z.enum(UNCERTAIN_POLICIES).default('exclude'),
  mapping: labelMapping.optional(),
  resamples: z.number().int().min(0).max(100_000).default(1000),
  seed: z.number().int().default(42),
  confidence: z.number().gt(0.5).lt(1).default(0.95)
})

/** What the user asked for (sources as chosen, before defaults): kept with every saved evaluation. */
export type EvaluationRequest = z.input<typeof evaluationInput>

/** One saved evaluation in the history list. */
export interface HistorySummary {
  id: number
  createdAt: string
  referenceName: string
  predictionNames: string[]
  nReports: number
  settings: EvaluationSettings
  /** Per prediction source, as in the result. */
  microF1: (number | null)[]
  macroF1: (number | null)[]
}

export interface HistoryEntry extends HistorySummary {
  request: EvaluationRequest
  result: StoreEvaluation
}

/** The job's result: the evaluation and the id it was saved under in the history. */
export type SavedEvaluation = StoreEvaluation & { historyId: number }

const reportOptions = z.object({
  title: z.string().max(200).optional(),
  /** Adds Cohen's kappa between the first two prediction sources. */
  agreement: z.boolean().default(false)
})

export const evaluateCalls = {
  'evaluate.sources': call<EvalSourceSummary[]>()(noInput),
  'evaluate.run': call<StoreEvaluation>()(evaluationInput),
  /** The same evaluation as a job (progress in resamples, cancel with jobs.cancel); the result is the StoreEvaluation. */
  'evaluate.start': call<JobSnapshot>()(evaluationInput),
  /** Saved evaluations, newest first (every evaluate.start that completed). */
  'evaluate.history.list': call<HistorySummary[]>()(noInput),
  'evaluate.history.get': call<HistoryEntry>()(z.object({ id })),
  'evaluate.history.delete': call<{ deleted: number }>()(z.object({ id })),
  'evaluate.agreement': call<StoreAgreement>()(
    z.object({
      a: sourceRef,
      b: sourceRef,
      uncertain: z.enum(UNCERTAIN_POLICIES).default('exclude'),
      mapping: labelMapping.optional(),
      resamples: z.number().int().min(0).max(100_000).default(1000),
      seed: z.number().int().default(42)
    })
  ),
  'evaluate.cases': call<CasesResult>()(
    z.object({
      pred: sourceRef,
      ref: sourceRef,
      uncertain: z.enum(UNCERTAIN_POLICIES).default('exclude'),
      mapping: labelMapping.optional(),
      label: z.string().min(1).max(200),
      outcome: z.enum(OUTCOME_NAMES),
      alsoCoveredBy: z.array(sourceRef).max(8).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100)
    })
  ),
  'evaluate.reportHtml': call<{ html: string; fileName: string }>()(evaluationInput.extend(reportOptions.shape)),
  /** Writes the report; without a path, asks with the save dialog (Electron) and returns null if cancelled. */
  'evaluate.saveReport': call<{ path: string; bytes: number } | null>()(
    evaluationInput.extend(reportOptions.shape).extend({
      format: z.enum(['html', 'pdf']).default('html'),
      path: filePath.optional(),
      overwrite: z.boolean().default(false)
    })
  )
}
