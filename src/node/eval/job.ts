// Evaluation as a job: the same evaluation as `evaluate.run`, with progress (bootstrap resamples done of
// total) and cancel through the JobManager. The result is the StoreEvaluation.
import type { CallParsed } from '../../common/ipc/contract'
import type { SavedEvaluation } from '../../common/ipc/calls/evaluate'
import type { JobContext } from '../jobs/jobManager'
import { yieldToEventLoop } from '../jobs/jobManager'
import { evaluateSourcesAsync } from './evaluate-sources'
import { saveEvaluation } from './history'

export const EVALUATE_JOB_KIND = 'evaluate'

/** The validated input of `evaluate.run`. */
export type EvaluateJobParams = CallParsed<'evaluate.run'>

/** Runs the evaluation and keeps it in the history (migration 7); the result carries its history id. */
export async function runEvaluateJob(params: EvaluateJobParams, ctx: JobContext): Promise<SavedEvaluation | null> {
  ctx.report({ done: 0, total: params.resamples, unit: 'resamples', message: 'Loading sources' })
  // Let `start` return (and a cancel arrive) before the synchronous loading of the sources.
  await yieldToEventLoop()
  if (ctx.signal.aborted) return null
  const result = await evaluateSourcesAsync(ctx.workspace.db, params, yieldToEventLoop, {
    signal: ctx.signal,
    onResample: (done, total) => ctx.report({ done, total, message: 'Bootstrapping' })
  })
  if (ctx.signal.aborted) return null
  // Without resamples (or reports) there are no steps: mark the job complete.
  ctx.report({ done: params.resamples, total: params.resamples, message: 'Done' })
  const historyId = saveEvaluation(ctx.workspace.db, params, result, ctx.jobId)
  return { ...result, historyId }
}
