// Handlers of the detect calls (src/common/ipc/calls/detect.ts): runs are jobs of the run driver.
import type { EngineInfo } from '../../common/ipc/calls/detect'
import { runReport, runResults } from '../detect/results'
import { engines } from '../engines/registry'
import { PROBE_JOB_KIND } from '../engines/probe'
import { createRun, getRun, listRuns, parseEngineConfig, RUN_JOB_KIND } from '../engines/run'
import { resolveScope } from '../engines/scope'
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
      scope: { ...input.scope, ...(input.batchIds?.length ? { batchIds: input.batchIds } : {}) },
      actor: 'user'
    })
    const job = ctx.jobs.start(RUN_JOB_KIND, `Detect: ${run.name}`, { sourceId: run.sourceId })
    return { run: getRun(ctx.workspace.db, run.sourceId), job }
  },
  'detect.scopeCount': (input, ctx) => {
    const scope = resolveScope(ctx.workspace.db, input.scope)
    return { matching: scope.matching, chosen: scope.total }
  },
  'detect.probe': (input, ctx) => {
    // validated now, so that a wrong setting is an answer to this call rather than a failed job
    parseEngineConfig(input.engine, input.config)
    const job = ctx.jobs.start(PROBE_JOB_KIND, `Probe: ${input.engine} on ${input.reports} report(s)`, input)
    return { job }
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
