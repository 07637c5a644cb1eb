// Handlers of the import calls (src/common/ipc/calls/import.ts).
import { dirname, join } from 'node:path'
import { AppError } from '../../common/errors'
import type { SourceOptions } from '../import/pipeline'
import { deleteBatch, deletePreset, getBatch, listBatches, listIssues, listPresets, matchingPreset, savePreset } from '../store/repos/batches'
import { writeIssuesCsv } from '../import/issues-csv'
import { IMPORT_JOB_KIND, type ImportJobParams } from '../import/job'
import { importReferenceLabels } from '../import/labels'
import { previewSource } from '../import/read'
import { batchHeaderReport, listSectionMaps, resplitBatch, saveSectionMap } from '../import/sections-report'
import { yieldToEventLoop } from '../jobs/jobManager'
import { handlers } from './handler'

const fileName = (p: string) => p.split(/[\\/]/).pop() ?? p

export const importHandlers = handlers({
  'import.preview': async (input, ctx) => {
    const options = (input.options ?? {}) as SourceOptions
    // Without a mapping from the user, a saved preset that fits this file's fields comes first.
    const first = await previewSource(input.path, { ...options, mapping: input.mapping, limit: input.limit })
    if (!input.mapping) {
      const preset = matchingPreset(ctx.workspace.db, first.info.fields)
      if (preset) {
        const again = await previewSource(input.path, { ...options, mapping: preset.mapping, limit: input.limit })
        return { ...again, suggested: preset.mapping, presets: listPresets(ctx.workspace.db) }
      }
    }
    return { ...first, presets: listPresets(ctx.workspace.db) }
  },
  'import.start': (input, ctx) => {
    const params: ImportJobParams = {
      files: input.files.map((f) => ({ ...f, options: f.options as SourceOptions | undefined })),
      autoResume: input.autoResume
    }
    const title =
      input.files.length === 1 ? `Import ${fileName(input.files[0].path)}` : `Import ${input.files.length} files`
    return ctx.jobs.start(IMPORT_JOB_KIND, title, params)
  },
  'import.batches': (_input, ctx) => listBatches(ctx.workspace.db),
  'import.headerReport': (input, ctx) => batchHeaderReport(ctx.workspace.db, input.batchId),
  'import.setSectionHeaders': async (input, ctx) => {
    const db = ctx.workspace.db
    const saved = input.preset ? saveSectionMap(db, input.preset, input.headers) : null
    const r = await resplitBatch(db, input.batchId, input.headers)
    return { ...r, saved, report: await batchHeaderReport(db, input.batchId) }
  },
  'import.sectionMaps': (input, ctx) => listSectionMaps(ctx.workspace.db, input.preset),
  'import.batch': (input, ctx) => getBatch(ctx.workspace.db, input.id),
  'import.issues': (input, ctx) => listIssues(ctx.workspace.db, input.batchId, input),
  'import.saveIssues': async (input, ctx) => {
    const batch = getBatch(ctx.workspace.db, input.batchId)
    let path = input.path
    const suggested = `import-errors-batch-${batch.id}.csv`
    if (!path && ctx.platform.saveFile) {
      const chosen = await ctx.platform.saveFile({ title: 'Save rejected records', defaultPath: suggested })
      if (!chosen) return null
      path = chosen
    }
    // No dialog (harness, CLI): next to the workspace file.
    path ??= join(dirname(ctx.workspace.path === ':memory:' ? '.' : ctx.workspace.path), suggested)
    const count = await writeIssuesCsv(ctx.workspace.db, batch.id, path)
    return { path, count }
  },
  'import.resumeBatch': (input, ctx) => {
    const batch = getBatch(ctx.workspace.db, input.id)
    if (batch.status === 'completed') {
      throw new AppError('conflict', `Import batch ${batch.id} is already complete.`, 'Nothing to resume.')
    }
    if (batch.status === 'running') {
      throw new AppError('conflict', `Import batch ${batch.id} is running.`, 'Wait for it or cancel it first.')
    }
    // The batch keeps its mapping and reader options; the job continues it from its checkpoint.
    const params: ImportJobParams = { files: [{ path: batch.sourcePath, resumeBatchId: batch.id }] }
    return ctx.jobs.start(IMPORT_JOB_KIND, `Resume import ${batch.name}`, params)
  },
  'import.deleteBatch': (input, ctx) => deleteBatch(ctx.workspace.db, input.id, { yieldFn: yieldToEventLoop }),
  'import.presets': (_input, ctx) => listPresets(ctx.workspace.db),
  'import.savePreset': (input, ctx) => savePreset(ctx.workspace.db, input),
  'import.deletePreset': (input, ctx) => {
    deletePreset(ctx.workspace.db, input.name)
    return { deleted: true as const }
  },
  'import.labels': (input, ctx) =>
    importReferenceLabels(
      ctx.workspace.db,
      {
        path: input.path,
        sourceName: input.sourceName,
        labelSet: input.labelSet,
        idColumn: input.idColumn,
        options: input.options as SourceOptions | undefined,
        zeroAs: input.zeroAs,
        description: input.description
      },
      { yieldFn: yieldToEventLoop }
    )
})
