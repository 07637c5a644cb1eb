// Turns a reader item into what one INSERT needs: mapped, sectioned, hashed and serialised. Runs in the
// import worker thread for large files (so the main thread only writes), or inline.
import { createHash } from 'node:crypto'
import { applyMapping, type FieldMapping, type ImportFormat } from '../../common/import/mapping'
import { splitSections } from '../../common/text/sections'
import { DEFAULT_MAX_REPORT_CHARS, type ReaderItem, type RecordLocation } from './types'

export const EXCERPT_CHARS = 4000

export type Prepared =
  | { kind: 'issue'; file: string; where: string; externalId: string | null; reason: string; excerpt: string | null; chars: number }
  | {
      kind: 'report'
      key: string
      hash: string
      /** Values of the INSERT INTO reports statement, in column order. */
      values: unknown[]
      externalId: string | null
      file: string
      where: string
      text: string
      sectionsJson: string
      chars: number
      /** The source marks this record as a new version of a report (HL7 result status C, FHIR amended). */
      revision?: 'correction' | 'amended' | 'addendum'
      /** The status as the source gave it (for the version history). */
      sourceStatus: string | null
      location: string
    }

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

export function describeLocation(loc: RecordLocation): string {
  const parts: string[] = []
  if (loc.sheet) parts.push(`sheet ${loc.sheet}`)
  if (loc.line !== undefined) parts.push(loc.sheet ? `row ${loc.line}` : `line ${loc.line}`)
  parts.push(`record ${loc.record}`)
  return parts.join(', ')
}

/** ADDENDUM headers in a text (an addendum block appended to a report makes a new version of it). */
export function addendumCount(text: string): number {
  let n = 0
  for (const s of splitSections(text)) if (s.header && /^\s*(\d{1,2}[.)]\s*)?addendum\b/i.test(s.header)) n++
  return n
}

/** Whether the source says this record revises an earlier one, and its status as given. */
function revisionOf(fields: Record<string, string>, format: ImportFormat | undefined): { revision?: 'correction' | 'amended'; status: string | null } {
  if (format === 'hl7') {
    const st = (fields.result_status ?? '').trim().toUpperCase()
    return { revision: st === 'C' ? 'correction' : undefined, status: st || null }
  }
  if (format === 'fhir') {
    const st = (fields.status ?? '').trim().toLowerCase()
    return { revision: st === 'amended' || st === 'corrected' || st === 'appended' ? 'amended' : undefined, status: st || null }
  }
  return { status: null }
}

export function makePreparer(
  mapping: FieldMapping,
  batchId: number,
  now: string,
  maxReportChars = DEFAULT_MAX_REPORT_CHARS,
  format?: ImportFormat
): (item: ReaderItem) => Prepared {
  return (item: ReaderItem): Prepared => {
    const where = describeLocation(item.loc)
    if (item.kind === 'error') {
      const excerpt = item.raw?.slice(0, EXCERPT_CHARS) ?? null
      return { kind: 'issue', file: item.loc.file, where, externalId: null, reason: item.reason, excerpt, chars: excerpt?.length ?? 0 }
    }
    const mapped = applyMapping(item.fields, mapping)
    if (!mapped.ok) {
      const excerpt = JSON.stringify(item.fields).slice(0, EXCERPT_CHARS)
      const id = mapping.idField ? item.fields[mapping.idField] || null : null
      return { kind: 'issue', file: item.loc.file, where, externalId: id, reason: mapped.reason, excerpt, chars: excerpt.length }
    }
    const r = mapped.report
    if (r.text.length > maxReportChars) {
      const excerpt = r.text.slice(0, 2000)
      return {
        kind: 'issue',
        file: item.loc.file,
        where,
        externalId: r.externalId,
        reason:
          `report text is ${r.text.length.toLocaleString('en-US')} characters, over the limit of ${maxReportChars.toLocaleString('en-US')}` +
          ` per report (not a single report? raise the limit with --max-report-chars if it is one)`,
        excerpt,
        chars: excerpt.length
      }
    }
    const hash = sha256(r.text)
    const key = r.externalId ?? `sha256:${hash}`
    let hasMeta = false
    for (const _ in r.meta) {
      hasMeta = true
      break
    }
    const sectionsJson = JSON.stringify(r.sections)
    const rev = revisionOf(item.fields, format)
    const values = [
      key,
      r.externalId,
      batchId,
      r.text,
      hash,
      sectionsJson,
      r.patientId,
      item.fields.study_id || null,
      r.accession,
      r.studyDate,
      r.modality,
      hasMeta ? JSON.stringify(r.meta) : null,
      `${item.loc.file} (${where})`,
      now
    ]
    const location = `${item.loc.file} (${where})`
    return {
      kind: 'report',
      key,
      hash,
      values,
      externalId: r.externalId,
      file: item.loc.file,
      where,
      text: r.text,
      sectionsJson,
      chars: r.text.length,
      revision: rev.revision,
      sourceStatus: rev.status,
      location
    }
  }
}
