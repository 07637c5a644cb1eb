import { AppError } from '../../common/errors'
import type { AppInfo, WorkspaceOverview } from '../../common/ipc/calls/app'
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

export function workspaceOverview(ctx: ServiceContext): WorkspaceOverview {
  const { db } = ctx.workspace
  const count = (sql: string): number => (db.prepare(sql).pluck().get() as number | undefined) ?? 0
  const has = (table: string): boolean => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)
  const labelSet = db
    .prepare(
      `SELECT ls.slug, ls.name, count(*) AS n FROM (
         SELECT label_set_id FROM sources WHERE kind <> 'curated' UNION ALL SELECT label_set_id FROM review_sets
       ) u JOIN label_sets ls ON ls.id = u.label_set_id GROUP BY ls.slug ORDER BY n DESC, max(ls.id) DESC LIMIT 1`
    )
    .get() as { slug: string; name: string } | undefined
  return {
    reports: count('SELECT count(*) FROM reports'),
    completedRuns: count("SELECT count(*) FROM runs WHERE status = 'completed'"),
    importedSources: count("SELECT count(*) FROM sources WHERE kind = 'imported'"),
    reviewSets: count('SELECT count(*) FROM review_sets'),
    curatedReports: count(
      "SELECT count(DISTINCT sl.report_id) FROM source_labels sl JOIN sources s ON s.id = sl.source_id WHERE s.kind = 'curated'"
    ),
    evaluations: has('evaluations') ? count('SELECT count(*) FROM evaluations') : 0,
    exports: count("SELECT count(*) FROM audit_log WHERE action LIKE '%export%'"),
    labelSet: labelSet ? { slug: labelSet.slug, name: labelSet.name } : null
  }
}

export const appHandlers = handlers({
  'app.info': (_input, ctx) => appInfo(ctx),
  'app.overview': (_input, ctx) => workspaceOverview(ctx),
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
