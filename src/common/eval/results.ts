// Result shapes of evaluation over a workspace, shared by the services, the CLI and the renderer.
import type { Evidence, LabelState } from '../types'
import type { LabelPair } from './align'
import type { ComparisonResult } from './evaluate'
import type { AgreementResult } from './kappa'
import type { LiteratureMetrics } from './literature'
import type { OutcomeName, UncertainPolicy } from './states'

/** Where a source's labels came from; every field optional because imported labels know little. */
export interface SourceProvenance {
  id?: number
  name: string
  kind: string
  labelSet?: string
  labelSetVersion?: string
  engine?: string
  modelFile?: string
  modelHash?: string
  promptVersion?: string
  createdAt?: string
  /** Any further facts worth printing (e.g. text scope, rules version, import file). */
  details?: Record<string, string | number | null | undefined>
}

export interface EvaluationSettings {
  uncertain: UncertainPolicy
  resamples: number
  seed: number
  confidence: number
}

export interface StoreEvaluation {
  /** Reports covered by the reference and every prediction source. */
  nReports: number
  /** Evaluated labels (reference names), matched by every prediction source. */
  labels: string[]
  reference: SourceProvenance
  predictions: SourceProvenance[]
  /** Per prediction source: how its labels were paired with the reference's. */
  labelPairs: LabelPair[][]
  unmatchedPred: string[][]
  /** Reference labels left out because at least one prediction source has no counterpart. */
  unmatchedRef: string[]
  coverage: { reference: number; predictions: number[] }
  /** What the evaluated reports are: study date range and the imports they came from. */
  data: ReportsDescription
  settings: EvaluationSettings
  comparison: ComparisonResult
  /** Plain-language cautions for whoever presents the numbers (small samples, rare labels). */
  warnings: string[]
  /** Per prediction source: CheXbert-style class F1 and the open-ended micro-F1 (same reports and labels). */
  literature?: LiteratureMetrics[]
}

export interface ReportsDescription {
  studyDates: { first: string; last: string; withDate: number } | null
  batches: Array<{ name: string; reports: number }>
  modalities: Array<{ modality: string; reports: number }>
}

export interface StoreAgreement extends AgreementResult {
  a: SourceProvenance
  b: SourceProvenance
  labelPairs: LabelPair[]
}

export interface CaseItem {
  reportId: number
  reportKey: string
  predState: LabelState
  refState: LabelState
  predEvidence: Evidence[]
  refEvidence: Evidence[]
  /** The first characters of the report, for the list. */
  preview: string
}

export interface CasesResult {
  label: string
  outcome: OutcomeName
  total: number
  offset: number
  items: CaseItem[]
}

export interface EvaluationReportInput {
  title?: string
  generatedAt: string
  appVersion?: string
  workspace?: string
  data: {
    nReports: number
    description?: string
    /** Free lines, e.g. how many reports each source covers. */
    notes?: string[]
    /** Cautions shown prominently (small samples, rare labels). */
    warnings?: string[]
    labelPairs: LabelPair[]
    unmatchedPred: string[]
    unmatchedRef: string[]
  }
  settings: EvaluationSettings
  reference: SourceProvenance
  predictions: SourceProvenance[]
  comparison: ComparisonResult
  /** Agreement between the first two prediction sources, if asked for. */
  agreement?: AgreementResult
  /** Per prediction source: the literature's metrics (CheXbert-style F1, open-ended micro-F1). */
  literature?: LiteratureMetrics[]
}
