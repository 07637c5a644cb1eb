import { z } from 'zod'
import type { ReportVersion } from '../../import/dto'
import type { Section } from '../../types'
import { call, id } from '../define'

export interface ReportSummary {
  id: number
  reportKey: string
  externalId: string | null
  batchId: number | null
  studyDate: string | null
  preview: string
}

export interface ReportDetail extends ReportSummary {
  text: string
  sections: Section[]
  patientId: string | null
  accession: string | null
  modality: string | null
  sourceLocation: string | null
  meta: Record<string, unknown>
}

export interface ReportPage {
  total: number
  offset: number
  items: ReportSummary[]
}

export const reportCalls = {
  'reports.list': call<ReportPage>()(
    z.object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      search: z.string().max(500).optional(),
      batchId: id.optional()
    })
  ),
  'reports.get': call<ReportDetail>()(z.object({ id })),
  /** The report's versions, oldest first: the original, then addenda and corrections; the latest is labelled. */
  'reports.versions': call<ReportVersion[]>()(z.object({ id }))
}
