// Every kind of long job, registered on each JobManager. The job mechanism (src/node/jobs) knows no
// feature: features export their kind and runner, and this composition root, above them, registers
// them. Add your feature's job kind here.
import { PROBE_JOB_KIND, probeRun, type ProbeInput } from '../engines/probe'
import { executeRun, RUN_JOB_KIND, type RunJobParams } from '../engines/run'
import { EVALUATE_JOB_KIND, runEvaluateJob, type EvaluateJobParams } from '../eval/job'
import { IMPORT_JOB_KIND, runImportJob, type ImportJobParams } from '../import/job'
import type { JobManager } from '../jobs/jobManager'
import { MODEL_JOB_KIND, runModelJob, type ModelJobParams } from '../models/job'
import { runTrainJob, TRAIN_JOB_KIND, type TrainJobParams } from '../training/run-job'
import { runStudentTeacher, STUDENT_TEACHER_JOB_KIND, type StudentTeacherParams } from '../training/student-teacher'

export function registerJobKinds(jobs: JobManager): void {
  jobs.register<RunJobParams>(RUN_JOB_KIND, executeRun)
  jobs.register<ProbeInput>(PROBE_JOB_KIND, (params, ctx) => probeRun(ctx.workspace.db, params, ctx))
  jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
  jobs.register<ModelJobParams>(MODEL_JOB_KIND, runModelJob)
  jobs.register<EvaluateJobParams>(EVALUATE_JOB_KIND, runEvaluateJob)
  jobs.register<TrainJobParams>(TRAIN_JOB_KIND, runTrainJob)
  jobs.register<StudentTeacherParams>(STUDENT_TEACHER_JOB_KIND, runStudentTeacher)
}
