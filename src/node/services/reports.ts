import { getReport, listReports } from '../store/repos/reports'
import { reportVersions } from '../import/sections-report'
import { handlers } from './handler'

export const reportHandlers = handlers({
  'reports.list': (input, ctx) => listReports(ctx.workspace.db, input),
  'reports.get': (input, ctx) => getReport(ctx.workspace.db, input.id),
  'reports.versions': (input, ctx) => reportVersions(ctx.workspace.db, input.id)
})
