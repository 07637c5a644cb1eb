// What an engine implements. The generic run driver (run.ts) does everything else: run rows, chunks,
// transactions, progress, cancel/pause/resume, re-run of failed reports, provenance and token counts.
import type { z } from 'zod'
import { AppError } from '../../common/errors'
import type { Evidence, LabelDecision, LabelSetDefinition, Section } from '../../common/types'

export interface EngineReport {
  id: number
  text: string
  sections: Section[]
}

export interface OpenFinding {
  phrase: string
  /** The label of the run's label set this phrase maps to; null when the lexicon knows none. */
  label: string | null
  evidence: Evidence[]
}

/** How one answer came about (server engine): stored per report with the run. */
export interface AnswerMeta {
  /** Why generation stopped: 'stop', 'length', ... */
  finishReason?: string
  /** Wall time of the request(s) for this report, in milliseconds. */
  latencyMs?: number
  /** Requests sent for this report (retries included). */
  attempts?: number
}

export type EngineResult =
  | {
      reportId: number
      ok: true
      decisions: LabelDecision[]
      findings?: OpenFinding[]
      /** Labelled, but something the user must know (e.g. the scope found no findings/impression text). */
      warning?: string
      raw?: string
      promptTokens?: number
      completionTokens?: number
      meta?: AnswerMeta
    }
  | { reportId: number; ok: false; error: string; raw?: string; meta?: AnswerMeta }

export interface EngineSession {
  /** Recorded on the run: versions, hashes, settings. */
  provenance: Record<string, unknown>
  /**
   * One result per report, in the same order. An engine that finishes reports one by one may call
   * `onResult` as each finishes (any order): the driver shows per-report progress from it.
   */
  label(batch: EngineReport[], signal: AbortSignal, onResult?: (result: EngineResult) => void): Promise<EngineResult[]>
  close(): Promise<void>
}

export type VersionedLabelSet = LabelSetDefinition & { version: number }

export interface Engine {
  name: string
  /** Validated before a run starts; its output is what `open` receives and what the run records. */
  configSchema: z.ZodType
  /** How many reports the driver hands to `label` at once. */
  batchSize?(config: unknown): number
  open(config: unknown, labelSet: VersionedLabelSet, onStatus?: (status: string) => void): Promise<EngineSession>
}

/**
 * Thrown by `label` when a batch stops part-way (the server went away, the run was cancelled): the
 * reports answered before that are in `completed`, so the run driver stores them and resume does not
 * send them again.
 */
export class PartialBatchError extends AppError {
  constructor(
    cause: AppError,
    readonly completed: EngineResult[]
  ) {
    super(cause.code, cause.message, cause.hint)
    this.name = 'PartialBatchError'
  }
}
