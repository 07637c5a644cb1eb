// Every kind of long job, registered on each JobManager. Features add their runner here.
import { EVALUATE_JOB_KIND, runEvaluateJob, type EvaluateJobParams } from '../eval/job'
import { PROBE_JOB_KIND, probeRun, type ProbeInput } from '../engines/probe'
import { executeRun, RUN_JOB_KIND, type RunJobParams } from '../engines/run'
import { IMPORT_JOB_KIND, runImportJob, type ImportJobParams } from '../import/job'
import { MODEL_JOB_KIND, runModelJob, type ModelJobParams } from '../models/job'
import type { JobManager } from './jobManager'

export function registerJobKinds(jobs: JobManager): void {
  jobs.register<RunJobParams>(RUN_JOB_KIND, executeRun)
  jobs.register<ProbeInput>(PROBE_JOB_KIND, (params, ctx) => probeRun(ctx.workspace.db, params, ctx))
  jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
  jobs.register<ModelJobParams>(MODEL_JOB_KIND, runModelJob)
  jobs.register<EvaluateJobParams>(EVALUATE_JOB_KIND, runEvaluateJob)
}
