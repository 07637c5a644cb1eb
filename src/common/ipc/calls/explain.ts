// Explain calls: why the rules engine labelled a report as it did (per label: mentions, governing
// triggers, scope, decision), for a stored run's report, a workspace report, or text.
import { z } from 'zod'
import type { ReportExplanation } from '../../rules/explain'
import { TEXT_SCOPES, type Section } from '../../types'
import { call, id } from '../define'

export interface ExplainResult extends ReportExplanation {
  text: string
  sections: Section[]
  reportId: number | null
  reportKey: string | null
  /** The run explained, when sourceId was given. */
  sourceId: number | null
  /** Fingerprint of lexicon, built-in and site rules (as recorded on runs). */
  rules: string
}

export const explainCalls = {
  /**
   * Explains the rules engine's decisions for one report. With `sourceId` (a rules run) the run's
   * label-set version, scope and hedging are used; else `labelSet` with optional hedging/scope (the
   * set's convention by default). The report is `reportId` (stored) or `text`.
   */
  'rules.explain': call<ExplainResult>()(
    z
      .object({
        sourceId: id.optional(),
        reportId: id.optional(),
        labelSet: z.union([id, z.string().trim().min(1).max(120)]).optional(),
        text: z.string().max(200_000).optional(),
        hedging: z.enum(['all', 'probable']).optional(),
        scope: z.enum(TEXT_SCOPES).optional()
      })
      .strict()
      .refine((x) => x.sourceId !== undefined || x.labelSet !== undefined, { message: 'say which run (sourceId) or label set to explain with' })
      .refine((x) => (x.reportId === undefined) !== (x.text === undefined), { message: 'give either a report id or the report text' })
  )
}
