// Handlers of the training calls (src/common/ipc/calls/training.ts).
import { AppError } from '../../common/errors'
import { TRAIN_JOB_KIND, type TrainJobParams } from '../training/run-job'
import { STUDENT_TEACHER_JOB_KIND, type StudentTeacherParams, type StudentTeacherResult } from '../training/student-teacher'
import { studentTeacherHtml } from '../training/student-teacher-report'
import { verifyKit } from '../training/prepare'
import { APP_VERSION } from '../version'
import { handlers } from './handler'

export const trainingHandlers = handlers({
  'training.start': (input, ctx) => {
    verifyKit(input.kitPath) // refuse a folder that is no kit before a job starts
    const params: TrainJobParams = { kitDir: input.kitPath, device: input.device, maxSteps: input.maxSteps, python: input.pythonPath }
    return ctx.jobs.start(TRAIN_JOB_KIND, `Train ${input.kitPath}`, params)
  },
  'training.compare': (input, ctx) => {
    const params: StudentTeacherParams = {
      student: String(input.student),
      teacher: String(input.teacher),
      ref: String(input.ref),
      tasks: input.tasks,
      uncertain: input.uncertain,
      resamples: input.resamples,
      seed: input.seed,
      llm: { threads: input.threads, gpu: input.gpu }
    }
    return ctx.jobs.start(STUDENT_TEACHER_JOB_KIND, `Student ${input.student} against teacher ${input.teacher}`, params)
  },
  'training.compareReport': (input, ctx) => {
    const job = ctx.jobs.get(input.jobId)
    if (job.kind !== STUDENT_TEACHER_JOB_KIND) throw new AppError('invalid_input', `Job ${job.id} is not a student-against-teacher comparison.`)
    if (job.status !== 'completed' || !job.result) throw new AppError('conflict', `Job ${job.id} is ${job.status}; the report exists once it has completed.`)
    return { html: studentTeacherHtml(job.result as StudentTeacherResult, { workspace: ctx.workspace.path, appVersion: APP_VERSION }) }
  }
})
