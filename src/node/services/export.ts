// Handlers of the export calls (src/common/ipc/calls/export.ts).
import { resolve } from 'node:path'
import { AppError } from '../../common/errors'
import { backupWorkspace, restoreWorkspace } from '../export/backup'
import { exportDataset } from '../export/dataset-jsonl'
import { exportLabelsCsv } from '../export/labels-csv'
import { findSource } from '../store/repos/sources'
import type { ServiceContext } from './context'
import { handlers } from './handler'

/** The given path, or the one chosen in the save dialog; null when the user cancels. */
async function outputPath(ctx: ServiceContext, path: string | undefined, title: string, defaultPath: string): Promise<{ path: string; chosen: boolean } | null> {
  if (path) return { path, chosen: false }
  if (!ctx.platform.saveFile) throw new AppError('unsupported', 'No save dialog is available here and no output path was given.', 'Give the path of the file to write.')
  const chosen = await ctx.platform.saveFile({ title, defaultPath })
  return chosen ? { path: chosen, chosen: true } : null
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60)

export const exportHandlers = handlers({
  'export.labels': async (input, ctx) => {
    const src = findSource(ctx.workspace.db, input.source)
    const out = await outputPath(ctx, input.path, 'Export labels as CSV', `${slug(src.name)}-labels.csv`)
    if (!out) return null
    // A path chosen in the dialog was already confirmed by the user if it existed.
    return exportLabelsCsv(ctx.workspace.db, { ...input, path: out.path, overwrite: input.overwrite || out.chosen })
  },
  'export.dataset': async (input, ctx) => {
    const src = findSource(ctx.workspace.db, input.source)
    const out = await outputPath(ctx, input.path, 'Export instruction-tuning dataset', `${slug(src.name)}-${input.style}.jsonl`)
    if (!out) return null
    return exportDataset(ctx.workspace.db, { ...input, path: out.path, overwrite: input.overwrite || out.chosen })
  },
  'export.backup': async (input, ctx) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
    const out = await outputPath(ctx, input.path, 'Back up workspace', `radlabel-backup-${stamp}.db`)
    if (!out) return null
    return backupWorkspace(ctx.workspace.db, out.path, input.overwrite || out.chosen)
  },
  'export.restore': async (input, ctx) => {
    if (resolve(input.targetPath) === resolve(ctx.workspace.path)) {
      throw new AppError(
        'conflict',
        'Cannot restore over the workspace that is open.',
        'Restore into a new file; it is opened afterwards, and the current workspace stays as it is.'
      )
    }
    const res = await restoreWorkspace(input.backupPath, input.targetPath, { replace: input.replace })
    if (input.open) ctx.switchWorkspace(res.target)
    return res
  }
})
