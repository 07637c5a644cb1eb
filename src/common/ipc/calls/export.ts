// Export calls: labels CSV, instruction-tuning JSONL, workspace backup and restore. Without a path,
// the handler asks with the save/open dialog (Electron) and returns null if the user cancels.
import { z } from 'zod'
import { call, filePath } from '../define'
import { sourceRef } from './evaluate'

export interface LabelsCsvResult {
  path: string
  bytes: number
  rows: number
  columns: string[]
  source: string
}

export interface DatasetResult {
  files: { train: string; validation: string; readme: string }
  reports: { train: number; validation: number }
  examples: { train: number; validation: number }
  tasks: Array<'open' | 'classify'>
  warning: string
}

export interface BackupCheck {
  path: string
  schemaVersion: number
  reports: number
  sources: number
}

export interface BackupResult extends BackupCheck {
  bytes: number
}

export interface RestoreResult extends BackupCheck {
  target: string
  /** Where the previous workspace file was moved, if there was one. */
  previous: string | null
}

export const exportCalls = {
  'export.labels': call<LabelsCsvResult | null>()(
    z.object({
      source: sourceRef,
      format: z.enum(['chexpert', 'binary']).default('chexpert'),
      uncertainAs: z.enum(['positive', 'negative']).default('positive'),
      includeText: z.boolean().default(false),
      path: filePath.optional(),
      overwrite: z.boolean().default(false)
    })
  ),
  'export.dataset': call<DatasetResult | null>()(
    z.object({
      source: sourceRef,
      style: z.enum(['alpaca', 'chat']).default('alpaca'),
      tasks: z.array(z.enum(['open', 'classify'])).min(1).default(['open', 'classify']),
      validationFraction: z.number().min(0).max(0.5).default(0.1),
      splitSalt: z.string().min(1).max(100).optional(),
      path: filePath.optional(),
      overwrite: z.boolean().default(false)
    })
  ),
  'export.backup': call<BackupResult | null>()(
    z.object({ path: filePath.optional(), overwrite: z.boolean().default(false) })
  ),
  /** Restores a backup into a new workspace file (never the open one) and opens it. */
  'export.restore': call<RestoreResult>()(
    z.object({ backupPath: filePath, targetPath: filePath, replace: z.boolean().default(false), open: z.boolean().default(true) })
  )
}
