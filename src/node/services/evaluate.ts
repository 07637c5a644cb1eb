// Handlers of the evaluate calls (src/common/ipc/calls/evaluate.ts).
import { writeFileSync } from 'node:fs'
import type { CallParsed } from '../../common/ipc/contract'
import { AppError } from '../../common/errors'
import { agreementBetweenAsync, casesOf, evaluateSourcesAsync, reportInput } from '../eval/evaluate-sources'
import { yieldToEventLoop } from '../jobs/jobManager'
import { deleteEvaluation, getEvaluation, listEvaluations } from '../eval/history'
import { EVALUATE_JOB_KIND, type EvaluateJobParams } from '../eval/job'
import { chromiumPdfRenderer, writePdf } from '../eval/pdf'
import { renderEvaluationHtml } from '../eval/report-html'
import { assertWritable } from '../export/write-file'
import { listSources } from '../store/repos/sources'
import { APP_VERSION } from '../version'
import type { ServiceContext } from './context'
import { handlers } from './handler'

type ReportCall = CallParsed<'evaluate.reportHtml'>

export async function evaluationHtml(ctx: ServiceContext, input: ReportCall): Promise<{ html: string; fileName: string }> {
  const ev = await evaluateSourcesAsync(ctx.workspace.db, input, yieldToEventLoop)
  const agreement =
    input.agreement && input.pred.length >= 2
      ? await agreementBetweenAsync(ctx.workspace.db, {
          a: input.pred[0],
          b: input.pred[1],
          uncertain: input.uncertain,
          mapping: input.mapping,
          resamples: input.resamples,
          seed: input.seed
        }, yieldToEventLoop)
      : undefined
  const html = renderEvaluationHtml(
    reportInput(ev, { workspace: ctx.workspace.path, appVersion: APP_VERSION, title: input.title, agreement })
  )
  const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40)
  const fileName = `evaluation-${ev.predictions.map((p) => slug(p.name)).join('-vs-')}-against-${slug(ev.reference.name)}.html`
  return { html, fileName }
}

export const evaluateHandlers = handlers({
  'evaluate.sources': (_input, ctx) => {
    const { db } = ctx.workspace
    const labelsOf = db.prepare('SELECT name FROM labels WHERE label_set_id = ? ORDER BY ord').pluck()
    const runStatus = db.prepare('SELECT status FROM runs WHERE source_id = ?').pluck()
    return listSources(db).map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      labelSet: s.labelSetSlug,
      labelSetVersion: s.labelSetVersion,
      labels: labelsOf.all(s.labelSetId) as string[],
      reportCount: s.reportCount,
      createdAt: s.createdAt,
      complete: s.complete,
      runStatus: (runStatus.get(s.id) as string | undefined) ?? null
    }))
  },
  // Bootstraps pause every ~30 ms so the main process keeps serving the window while they run.
  'evaluate.run': (input, ctx) => evaluateSourcesAsync(ctx.workspace.db, input, yieldToEventLoop),
  'evaluate.start': (input, ctx) => {
    const params: EvaluateJobParams = input
    const title = `Evaluate ${input.pred.join(', ')} against ${input.ref}`
    return ctx.jobs.start(EVALUATE_JOB_KIND, title, params)
  },
  'evaluate.history.list': (_input, ctx) => listEvaluations(ctx.workspace.db),
  'evaluate.history.get': (input, ctx) => getEvaluation(ctx.workspace.db, input.id),
  'evaluate.history.delete': (input, ctx) => {
    deleteEvaluation(ctx.workspace.db, input.id)
    return { deleted: input.id }
  },
  'evaluate.agreement': (input, ctx) => agreementBetweenAsync(ctx.workspace.db, input, yieldToEventLoop),
  'evaluate.cases': (input, ctx) => casesOf(ctx.workspace.db, input),
  'evaluate.reportHtml': (input, ctx) => evaluationHtml(ctx, input),
  'evaluate.saveReport': async (input, ctx) => {
    const { html, fileName } = await evaluationHtml(ctx, input)
    const defaultName = input.format === 'pdf' ? fileName.replace(/\.html$/, '.pdf') : fileName
    let path = input.path
    if (!path) {
      if (!ctx.platform.saveFile) {
        throw new AppError('unsupported', 'No save dialog is available here and no output path was given.', 'Give the path of the file to write.')
      }
      path = (await ctx.platform.saveFile({ title: 'Save evaluation report', defaultPath: defaultName })) ?? undefined
      if (!path) return null
    }
    const file = assertWritable(path, input.overwrite || !input.path)
    if (input.format === 'pdf') {
      try {
        // Electron renders with webContents.printToPDF (platform hook); the harness and CLI with system Chromium.
        await writePdf(html, file, ctx.platform.printToPdf ?? chromiumPdfRenderer())
      } catch (err) {
        throw new AppError('unsupported', `Cannot render the PDF: ${(err as Error).message}`, 'Save the HTML report and print it instead.')
      }
    } else writeFileSync(file, html, 'utf8')
    return { path: file, bytes: Buffer.byteLength(html) }
  }
})
