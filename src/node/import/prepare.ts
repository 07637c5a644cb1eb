// Turns a reader item into what one INSERT needs: mapped, sectioned, hashed and serialised. Runs in the
// import worker thread for large files (so the main thread only writes), or inline.
import { createHash } from 'node:crypto'
import { applyMapping, type FieldMapping } from '../../common/import/mapping'
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
      chars: number
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

export function makePreparer(
  mapping: FieldMapping,
  batchId: number,
  now: string,
  maxReportChars = DEFAULT_MAX_REPORT_CHARS
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
    const values = [
      key,
      r.externalId,
      batchId,
      r.text,
      hash,
      JSON.stringify(r.sections),
      r.patientId,
      item.fields.study_id || null,
      r.accession,
      r.studyDate,
      r.modality,
      hasMeta ? JSON.stringify(r.meta) : null,
      `${item.loc.file} (${where})`,
      now
    ]
    return { kind: 'report', key, hash, values, externalId: r.externalId, file: item.loc.file, where, text: r.text, chars: r.text.length }
  }
}
