// Label-set calls: list and read label sets (built-in and custom, every version), save a custom set
// (an edit makes a new version) and import one from a JSON file.
import { z } from 'zod'
import { labelSetDefinitionSchema } from '../../labelsets/validate'
import type { LabelSetDefinition } from '../../types'
import { call, filePath } from '../define'

export interface LabelSetSummary {
  id: number
  slug: string
  version: number
  name: string
  description: string | null
  builtin: boolean
  labelCount: number
  /** True for the newest version of its slug. */
  latest: boolean
  createdAt: string
  /** Runs and other sources that use this exact version. */
  sourceCount: number
}

export interface LabelSetDetail extends LabelSetSummary {
  definition: LabelSetDefinition
  labels: { id: number; name: string; description: string | null }[]
  /** Every version of this slug, newest first. */
  versions: { id: number; version: number; createdAt: string }[]
}

/** A label set by numeric id, slug (newest version) or "slug@version". */
const labelSetRef = z.union([z.number().int().positive(), z.string().trim().min(1).max(120)])

export const labelsetsCalls = {
  'labelsets.list': call<LabelSetSummary[]>()(
    z.object({ allVersions: z.boolean().default(false) }).strict().optional().default({ allVersions: false })
  ),
  'labelsets.get': call<LabelSetDetail>()(z.object({ ref: labelSetRef })),
  /**
   * Saves a custom label set; a changed definition becomes a new version, an unchanged one is returned as
   * is. The definition is validated by the handler with labelSetDefinitionSchema (parseLabelSetDefinition),
   * whose messages name the label or context rule ("context rule 2 ("query").window: ...").
   */
  'labelsets.save': call<LabelSetDetail>()(
    z.object({ definition: z.record(z.string(), z.unknown()) as unknown as typeof labelSetDefinitionSchema })
  ),
  /** Reads a label-set JSON file and saves it (see labelsets.save). */
  'labelsets.importFile': call<LabelSetDetail>()(z.object({ path: filePath }))
}
