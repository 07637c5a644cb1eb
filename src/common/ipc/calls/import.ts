// Import calls: preview a file with a mapping, start/resume an import job, batches and their issues,
// mapping presets, reference labels.
import { z } from 'zod'
import type { BatchInfo, HeaderReport, ImportIssue, LabelImportResult, MappingPreset, Preview, SectionMapVersion } from '../../import/dto'
import { TEXT_ENCODINGS } from '../../import/dto'
import { IMPORT_FORMATS, MAPPED_SECTIONS, META_FIELDS } from '../../import/mapping'
import type { JobSnapshot } from '../../types'
import { call, filePath, id } from '../define'

const field = z.string().trim().min(1).max(500)

/** A site's header phrase -> section ('none': the phrase is not a header). */
export const sectionHeadersSchema = z.record(
  z.string().trim().min(1).max(100),
  z.enum(['indication', 'technique', 'comparison', 'findings', 'impression', 'other', 'none'])
)

export const fieldMappingSchema = z
  .object({
    idField: field.optional(),
    textField: field.optional(),
    sectionFields: z.partialRecord(z.enum(MAPPED_SECTIONS), field).optional(),
    meta: z.partialRecord(z.enum(META_FIELDS), field).optional(),
    sectionHeaders: sectionHeadersSchema.optional()
  })
  .strict()

export const sourceOptionsSchema = z
  .object({
    format: z.enum(['auto', ...IMPORT_FORMATS]).optional(),
    encoding: z.enum(TEXT_ENCODINGS as [string, ...string[]]).optional(),
    delimiter: z.string().length(1).optional(),
    hasHeader: z.boolean().optional(),
    sheet: z.string().max(200).optional(),
    maxReportChars: z.number().int().min(1000).max(100_000_000).optional()
  })
  .strict()

const importFileSchema = z.object({
  path: filePath,
  options: sourceOptionsSchema.optional(),
  mapping: fieldMappingSchema.optional(),
  name: z.string().trim().max(200).optional()
})

export const importCalls = {
  /** Detected format, fields, suggested mapping and the first records mapped (live preview). */
  'import.preview': call<Preview & { presets: MappingPreset[] }>()(
    z.object({
      path: filePath,
      options: sourceOptionsSchema.optional(),
      mapping: fieldMappingSchema.optional(),
      limit: z.number().int().min(1).max(200).default(20)
    })
  ),
  /** Starts an import job over one or more files; progress arrives as job.updated events. */
  'import.start': call<JobSnapshot>()(
    z.object({ files: z.array(importFileSchema).min(1).max(1000), autoResume: z.boolean().default(true) })
  ),
  'import.batches': call<BatchInfo[]>()(z.object({}).strict().optional().default({})),
  'import.batch': call<BatchInfo>()(z.object({ id })),
  'import.issues': call<{ total: number; items: ImportIssue[] }>()(
    z.object({
      batchId: id,
      kind: z.enum(['rejected', 'conflict', 'duplicate']).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100)
    })
  ),
  /** Writes the batch's rejected records and conflicts as CSV; asks where when no path is given (Electron). */
  'import.saveIssues': call<{ path: string; count: number } | null>()(z.object({ batchId: id, path: filePath.optional() })),
  /** Continues a cancelled or interrupted batch from its checkpoint as a new job. */
  'import.resumeBatch': call<JobSnapshot>()(z.object({ id })),
  'import.deleteBatch': call<{ reports: number }>()(z.object({ id })),
  'import.presets': call<MappingPreset[]>()(z.object({}).strict().optional().default({})),
  'import.savePreset': call<MappingPreset>()(
    z.object({ name: z.string().trim().min(1).max(200), format: z.enum(IMPORT_FORMATS), mapping: fieldMappingSchema })
  ),
  'import.deletePreset': call<{ deleted: true }>()(z.object({ name: z.string().trim().min(1).max(200) })),
  /** The headers a batch's reports use: how often, recognised as which section, or not at all. */
  'import.headerReport': call<HeaderReport>()(z.object({ batchId: id })),
  /**
   * Teach a batch a site's headers: re-split its stored reports with the map (no re-import) and, with a
   * preset, save the map as that preset's next section-map version.
   */
  'import.setSectionHeaders': call<{ reports: number; changed: number; saved: SectionMapVersion | null; report: HeaderReport }>()(
    z.object({ batchId: id, headers: sectionHeadersSchema, preset: z.string().trim().min(1).max(200).optional() })
  ),
  'import.sectionMaps': call<SectionMapVersion[]>()(z.object({ preset: z.string().trim().min(1).max(200) })),
  /** Imports a reference label file as a named source (kind 'imported'). */
  'import.labels': call<LabelImportResult>()(
    z.object({
      path: filePath,
      sourceName: z.string().trim().min(1).max(200),
      labelSet: z.union([z.string().trim().min(1).max(200), id]),
      idColumn: field,
      options: sourceOptionsSchema.optional(),
      zeroAs: z.enum(['negative', 'not_mentioned']).default('negative'),
      description: z.string().max(2000).optional()
    })
  )
}
