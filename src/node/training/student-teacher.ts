// Student against teacher (the seed paper's table on the site's own reports): the base model, the student
// (base + the trained adapter) and the teacher (the weak-label source it learned from) against a curated
// reference. Base and student run with the llm engine on the reference's reports, once per task the kit
// trained (classification, open-ended detection); a completed run with the same model, adapter, task and
// prompt template that covers every reference report is reused instead of labelling again. Then two
// evaluations with paired bootstrap intervals: classification (micro/macro F1, CheXbert-style F1) and
// open-ended detection (the seed paper's open-ended micro-F1), each against the teacher and student
// against base.
import type { UncertainPolicy } from '../../common/eval'
import type { ModelRun, StudentTeacherResult } from '../../common/ipc/calls/training'
import { AppError } from '../../common/errors'
import type { JobContext } from '../jobs/jobManager'
import { createRun, executeRun, getRun } from '../engines/run'
import { evaluateSourcesAsync } from '../eval/evaluate-sources'
import { yieldToEventLoop } from '../jobs/jobManager'
import { findModelRow, getModel } from '../models/registry'
import type { Db } from '../store/db'
import { getLabelSet } from '../store/repos/labelSets'
import { findSource, uniqueSourceName } from '../store/repos/sources'

export type { ModelRun, StudentTeacherResult }

export const STUDENT_TEACHER_JOB_KIND = 'student-teacher'

export interface StudentTeacherParams {
  /** The adapter (registered LoRA model): id, name or path. */
  student: string
  /** The weak-label source the student learned from: name or id. */
  teacher: string
  /** Curated reference source: name or id. */
  ref: string
  /** Base model (registered): default the adapter's lineage base. */
  base?: string
  tasks?: Array<'classify' | 'open'>
  uncertain?: UncertainPolicy
  resamples?: number
  seed?: number
  /** llm engine settings for base and student runs. */
  llm?: { threads?: number; gpu?: 'auto' | 'cpu' | 'cuda' | 'metal' | 'vulkan'; contextSize?: number; sequences?: number; maxTokens?: number }
}

/** Report ids the reference covers. */
function referenceReports(db: Db, sourceId: number): number[] {
  return db.prepare('SELECT DISTINCT report_id FROM source_labels WHERE source_id = ? ORDER BY report_id').pluck().all(sourceId) as number[]
}

/** A completed llm run of this model/adapter/task/template/label set that has a done answer for every report. */
function reusableRun(db: Db, want: { model: string; lora: string | null; task: string; labelSetId: number }, reports: number[]): ModelRun | null {
  const rows = db
    .prepare(
      `SELECT r.source_id AS id, s.name, r.config_json FROM runs r JOIN sources s ON s.id = r.source_id
       WHERE r.engine = 'llm' AND s.label_set_id = ? AND r.status = 'completed' ORDER BY r.source_id DESC`
    )
    .all(want.labelSetId) as Array<{ id: number; name: string; config_json: string }>
  const done = db.prepare("SELECT count(*) FROM run_reports WHERE source_id = ? AND status = 'done' AND report_id IN (SELECT value FROM json_each(?))").pluck()
  for (const row of rows) {
    const c = JSON.parse(row.config_json) as { model?: string; lora?: string; loraScale?: number; adapters?: unknown[]; task?: string; promptTemplate?: string }
    const lora = c.lora && (c.loraScale ?? 1) !== 0 ? c.lora : null
    if (c.model !== want.model || lora !== want.lora || (c.adapters?.length ?? 0) > 0 || c.task !== want.task) continue
    if ((c.promptTemplate ?? 'radlabel-default') !== 'radlabel-default') continue
    if ((done.get(row.id, JSON.stringify(reports)) as number) === reports.length) return { sourceId: row.id, name: row.name, reused: true }
  }
  return null
}

export async function runStudentTeacher(params: StudentTeacherParams, ctx: JobContext): Promise<StudentTeacherResult | null> {
  const { db } = ctx.workspace
  const studentId = findModelRow(db, params.student)
  if (!studentId) throw new AppError('not_found', `There is no registered adapter "${params.student}".`, 'Import one with radlabel models import-adapter, or list them with radlabel models list.')
  const student = await getModel(db, studentId)
  if (student.kind !== 'lora') throw new AppError('invalid_input', `${student.name} is a base model, not an adapter.`, 'Pass --student the registered LoRA adapter.')
  const baseId = params.base ? findModelRow(db, params.base) : (student.lineage?.baseModelId ?? undefined)
  if (!baseId) {
    throw new AppError('invalid_input', `Which base model does ${student.name} apply to? It has no recorded lineage.`, 'Pass --base the registered base model.')
  }
  const base = await getModel(db, baseId)
  for (const m of [base, student]) if (!m.available) throw new AppError('not_found', m.problem ?? `${m.name} is not available.`)
  const teacher = findSource(db, params.teacher)
  const ref = findSource(db, params.ref)
  const labelSet = getLabelSet(db, teacher.labelSetId)
  const reports = referenceReports(db, ref.id)
  if (reports.length === 0) throw new AppError('invalid_input', `The reference ${ref.name} has no labelled reports.`, 'Curate a review set first.')
  const tasks = params.tasks?.length ? [...new Set(params.tasks)] : (['classify', 'open'] as const)
  const result: StudentTeacherResult = {
    teacher: teacher.name,
    reference: ref.name,
    base: { id: base.id, name: base.name },
    student: { id: student.id, name: student.name },
    runs: {}
  }
  const steps = tasks.length * 2
  let step = 0
  for (const task of tasks) {
    const pair: Partial<{ base: ModelRun; student: ModelRun }> = {}
    for (const who of ['base', 'student'] as const) {
      step++
      if (ctx.signal.aborted) return null
      const lora = who === 'student' ? student.path : null
      const reused = reusableRun(db, { model: base.path, lora, task, labelSetId: labelSet.id }, reports)
      if (reused) {
        pair[who] = reused
        continue
      }
      const config = {
        model: base.path,
        ...(lora ? { lora, loraScale: 1 } : {}),
        task,
        ...(params.llm?.threads ? { threads: params.llm.threads } : {}),
        ...(params.llm?.gpu ? { gpu: params.llm.gpu } : {}),
        ...(params.llm?.contextSize ? { contextSize: params.llm.contextSize } : {}),
        ...(params.llm?.sequences ? { sequences: params.llm.sequences } : {}),
        ...(params.llm?.maxTokens ? { maxTokens: params.llm.maxTokens } : {})
      }
      const name = uniqueSourceName(db, `${who === 'base' ? base.name : `${student.name} (student)`} · ${task} · on ${ref.name}`)
      const run = createRun(db, { engine: 'llm', labelSet: labelSet.id, config, name, scope: { reportIds: reports }, actor: 'student-teacher' })
      ctx.report({ done: step - 1, total: steps, unit: 'runs', message: `Labelling ${reports.length} reports: ${name}` })
      const sub: JobContext = { ...ctx, report: (p) => ctx.report({ message: `${name}: ${p.message ?? `${p.done ?? 0}/${p.total ?? '?'} reports`}` }) }
      await executeRun({ sourceId: run.sourceId }, sub)
      const final = getRun(db, run.sourceId)
      if (ctx.signal.aborted) return null
      if (final.status !== 'completed') throw new AppError('engine_failed', `The run ${name} ended ${final.status}${final.error ? `: ${final.error}` : ''}.`)
      pair[who] = { sourceId: run.sourceId, name, reused: false }
    }
    result.runs[task] = pair as { base: ModelRun; student: ModelRun }
  }
  ctx.report({ done: steps, total: steps, unit: 'runs', message: 'Evaluating against the reference' })
  const settings = { uncertain: params.uncertain ?? 'exclude', resamples: params.resamples ?? 1000, seed: params.seed ?? 42, confidence: 0.95 }
  const hooks = { signal: ctx.signal }
  if (result.runs.classify) {
    const r = result.runs.classify
    result.classification = await evaluateSourcesAsync(db, { pred: [teacher.id, r.base.sourceId, r.student.sourceId], ref: ref.id, ...settings }, yieldToEventLoop, hooks)
    result.classificationVsBase = await evaluateSourcesAsync(db, { pred: [r.base.sourceId, r.student.sourceId], ref: ref.id, ...settings }, yieldToEventLoop, hooks)
  }
  if (result.runs.open) {
    const r = result.runs.open
    result.open = await evaluateSourcesAsync(db, { pred: [teacher.id, r.base.sourceId, r.student.sourceId], ref: ref.id, ...settings }, yieldToEventLoop, hooks)
    result.openVsBase = await evaluateSourcesAsync(db, { pred: [r.base.sourceId, r.student.sourceId], ref: ref.id, ...settings }, yieldToEventLoop, hooks)
  }
  return result
}
