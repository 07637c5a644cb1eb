// `radlabel compare --student ADAPTER --teacher SOURCE --ref CURATED`: base, student and teacher on the
// curated reports (runs the llm engine where no reusable run exists), the paper's table with paired
// bootstrap intervals, optionally as an HTML report. Options added to the existing compare command.
import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import { assertWritable } from '../../export/write-file'
import { STUDENT_TEACHER_JOB_KIND, type StudentTeacherParams, type StudentTeacherResult } from '../../training/student-teacher'
import { paperLines, paperTable, studentTeacherHtml } from '../../training/student-teacher-report'
import { APP_VERSION } from '../../version'
import { printJson, printLines } from '../output'
import { runJobInForeground, withSession } from '../session'

export interface StudentTeacherCli {
  db: string
  ref: string
  student?: string
  teacher?: string
  base?: string
  task?: string[]
  uncertain: StudentTeacherParams['uncertain']
  resamples: string
  seed: string
  threads?: string
  gpu?: string
  contextSize?: string
  json?: boolean
  html?: string
  force?: boolean
}

export function addStudentTeacherOptions(cmd: Command): Command {
  return cmd
    .option('--student <adapter>', 'student-against-teacher mode: the registered LoRA adapter (id, name or path)')
    .option('--teacher <source>', 'with --student: the weak-label source the student learned from')
    .option('--base <model>', 'with --student: the registered base model (default: from the adapter\'s lineage)')
    .option('--task <task...>', 'with --student: classify and/or open (default both)')
    .option('--threads <n>', 'with --student: CPU threads of the llm runs')
    .option('--gpu <choice>', 'with --student: auto | cuda | metal | vulkan | cpu')
    .option('--context-size <n>', 'with --student: tokens per sequence of the llm runs')
}

const posInt = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new AppError('invalid_input', `${name} must be a positive whole number, got "${v}".`)
  return n
}

export async function runStudentTeacherCli(opts: StudentTeacherCli): Promise<void> {
  if (!opts.teacher) throw new AppError('invalid_input', '--student needs --teacher, the source the student learned from.', 'e.g. --teacher "rules run"')
  const tasks = (opts.task ?? []).map((t) => {
    if (t !== 'classify' && t !== 'open') throw new AppError('invalid_input', `Unknown --task "${t}".`, 'Use classify and/or open.')
    return t
  })
  if (opts.html) assertWritable(opts.html, opts.force ?? false)
  await withSession(opts.db, async (session) => {
    const params: StudentTeacherParams = {
      student: opts.student!,
      teacher: opts.teacher!,
      ref: opts.ref,
      base: opts.base,
      tasks: tasks.length ? tasks : undefined,
      uncertain: opts.uncertain,
      resamples: Number(opts.resamples),
      seed: Number(opts.seed),
      llm: {
        threads: posInt('--threads', opts.threads),
        gpu: opts.gpu as NonNullable<StudentTeacherParams['llm']>['gpu'],
        contextSize: posInt('--context-size', opts.contextSize)
      }
    }
    const final = await runJobInForeground(session, STUDENT_TEACHER_JOB_KIND, `student ${opts.student} vs teacher ${opts.teacher}`, params)
    const result = final.result as StudentTeacherResult
    if (opts.json) printJson({ ...paperTable(result), runs: result.runs, reference: result.reference, teacher: result.teacher, student: result.student, base: result.base })
    else printLines(paperLines(result))
    if (opts.html) {
      writeFileSync(opts.html, studentTeacherHtml(result, { workspace: session.ctx.workspace.path, appVersion: APP_VERSION }), 'utf8')
      ;(opts.json ? process.stderr : process.stdout).write(`HTML report: ${opts.html}\n`)
    }
  })
}
