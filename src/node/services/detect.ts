// Handlers of the detect calls (src/common/ipc/calls/detect.ts): runs are jobs of the run driver.
import type { EngineInfo } from '../../common/ipc/calls/detect'
import { runReport, runResults } from '../detect/results'
import { engines } from '../engines/registry'
import { createRun, getRun, listRuns, RUN_JOB_KIND } from '../engines/run'
import { handlers } from './handler'

const DESCRIPTIONS: Record<string, string> = {
  rules:
    'Rule-based labeler: lexicon + negation/uncertainty rules. Instant, explainable, no model. Settings: scope, hedging.',
  llm: 'Local language model (GGUF via llama.cpp): classification and open-ended findings. Needs a model file.'
}

export const detectHandlers = handlers({
  'detect.engines': () =>
    Object.keys(engines)
      .sort()
      .map((name): EngineInfo => ({ name, description: DESCRIPTIONS[name] ?? '' })),
  'detect.start': (input, ctx) => {
    const run = createRun(ctx.workspace.db, {
      engine: input.engine,
      labelSet: input.labelSet,
      config: input.config,
      name: input.name,
      scope: input.batchIds?.length ? { batchIds: input.batchIds } : {},
      actor: 'user'
    })
    const job = ctx.jobs.start(RUN_JOB_KIND, `Detect: ${run.name}`, { sourceId: run.sourceId })
    return { run: getRun(ctx.workspace.db, run.sourceId), job }
  },
  'detect.runs': (_input, ctx) => listRuns(ctx.workspace.db),
  'detect.run': (input, ctx) => getRun(ctx.workspace.db, input.sourceId),
  'detect.rerunFailed': (input, ctx) => {
    const run = getRun(ctx.workspace.db, input.sourceId)
    const job = ctx.jobs.start(RUN_JOB_KIND, `Detect (failed reports again): ${run.name}`, {
      sourceId: run.sourceId,
      onlyFailed: true
    })
    return { run: getRun(ctx.workspace.db, run.sourceId), job }
  },
  'detect.results': (input, ctx) => runResults(ctx.workspace.db, input),
  'detect.report': (input, ctx) => runReport(ctx.workspace.db, input.sourceId, input.reportId)
})
