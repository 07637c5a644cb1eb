import { z } from 'zod'
import type { JobSnapshot } from '../../types'
import { call, filePath, id, noInput } from '../define'

export interface AppInfo {
  version: string
  workspacePath: string
  schemaVersion: number
  platform: string
  runtime: 'electron' | 'harness' | 'node'
  counts: { reports: number; sources: number; reviewSets: number }
}

/** Where the workspace is on the loop (import → labels → review → evaluate → export), and its defaults. */
export interface WorkspaceOverview {
  reports: number
  /** Labeler runs that completed, and imported label sources. */
  completedRuns: number
  importedSources: number
  reviewSets: number
  /** Reports with curated (reviewed) labels, over all review sets. */
  curatedReports: number
  evaluations: number
  exports: number
  /** The label set this workspace uses most (its sources and review sets): the forms' default. */
  labelSet: { slug: string; name: string } | null
}

export const appCalls = {
  'app.info': call<AppInfo>()(noInput),
  'app.overview': call<WorkspaceOverview>()(noInput),
  /** Opens (creating when missing) another workspace database. */
  'app.openWorkspace': call<AppInfo>()(z.object({ path: filePath })),
  /** Native file dialog (Electron); the harness answers 'unsupported' and the UI offers a path field. */
  'dialog.openFiles': call<string[]>()(
    z.object({
      title: z.string().max(200).optional(),
      directory: z.boolean().optional(),
      multiple: z.boolean().optional(),
      filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional()
    })
  ),
  'dialog.saveFile': call<string | null>()(
    z.object({ title: z.string().max(200).optional(), defaultPath: z.string().max(4096).optional() })
  ),
  'jobs.list': call<JobSnapshot[]>()(noInput),
  'jobs.get': call<JobSnapshot>()(z.object({ id })),
  'jobs.cancel': call<JobSnapshot>()(z.object({ id })),
  'jobs.pause': call<JobSnapshot>()(z.object({ id })),
  'jobs.resume': call<JobSnapshot>()(z.object({ id }))
}
