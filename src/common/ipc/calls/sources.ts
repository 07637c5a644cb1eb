// Label-source calls: deleting a run, imported labels or curated labels, with confirmation.
import { z } from 'zod'
import { call, id } from '../define'

/** What deleting a source removes and affects: shown before the user confirms. */
export interface SourceDeletionPlan {
  id: number
  name: string
  kind: 'run' | 'imported' | 'curated'
  labelSet: string
  /** Reports with labels in the source. */
  reports: number
  labels: number
  findings: number
  run?: { engine: string; status: string; reportsTotal: number }
  /** Consequences elsewhere (review sets that use the source). */
  warnings: string[]
  /** Why it cannot be deleted now (a running run), or null. */
  blocked: string | null
}

export const sourcesCalls = {
  'sources.deletionPlan': call<SourceDeletionPlan>()(z.object({ id })),
  /** Deletes the source and its labels; the audit log keeps the record. `confirm` must be true. */
  'sources.delete': call<SourceDeletionPlan>()(
    z.object({ id, confirm: z.literal(true, { error: 'deleting a source needs confirmation (confirm: true)' }) })
  )
}
