import { AppError } from '../../common/errors'
import type { AppInfo } from '../../common/ipc/calls/app'
import { schemaVersion } from '../store/db'
import { APP_VERSION } from '../version'
import type { ServiceContext } from './context'
import { handlers } from './handler'

export function appInfo(ctx: ServiceContext): AppInfo {
  const { db } = ctx.workspace
  const count = (sql: string): number => (db.prepare(sql).pluck().get() as number) ?? 0
  return {
    version: APP_VERSION,
    workspacePath: ctx.workspace.path,
    schemaVersion: schemaVersion(db),
    platform: process.platform,
    runtime: ctx.platform.runtime,
    counts: {
      reports: count('SELECT count(*) FROM reports'),
      sources: count('SELECT count(*) FROM sources'),
      reviewSets: count('SELECT count(*) FROM review_sets')
    }
  }
}

export const appHandlers = handlers({
  'app.info': (_input, ctx) => appInfo(ctx),
  'app.openWorkspace': (input, ctx) => {
    ctx.switchWorkspace(input.path)
    return appInfo(ctx)
  },
  'dialog.openFiles': async (input, ctx) => {
    if (!ctx.platform.openFiles) {
      throw new AppError('unsupported', 'No file dialog is available here.', 'Type or paste the file path instead.')
    }
    return ctx.platform.openFiles(input)
  },
  'dialog.saveFile': async (input, ctx) => {
    if (!ctx.platform.saveFile) {
      throw new AppError('unsupported', 'No save dialog is available here.', 'Type or paste the output path instead.')
    }
    return ctx.platform.saveFile(input)
  },
  'jobs.list': (_input, ctx) => ctx.jobs.list(),
  'jobs.get': (input, ctx) => ctx.jobs.get(input.id),
  'jobs.cancel': (input, ctx) => ctx.jobs.cancel(input.id),
  'jobs.pause': (input, ctx) => ctx.jobs.pause(input.id),
  'jobs.resume': (input, ctx) => ctx.jobs.resume(input.id)
})
