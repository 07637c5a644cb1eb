// Field mapping: which fields of a source record give the report id, its text (one field, or one field
// per section) and its metadata. Pure, so the renderer's live preview runs the same code as the import.
import type { Section } from '../types'
import { composeReport, splitSections, type SectionHeaderMap, type SectionPart, type SplitOptions } from '../text/sections'

export const IMPORT_FORMATS = ['csv', 'tsv', 'xlsx', 'json', 'jsonl', 'txt-dir', 'mimic', 'hl7', 'fhir'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export const MAPPED_SECTIONS = ['indication', 'technique', 'comparison', 'findings', 'impression', 'other'] as const
export type MappedSection = (typeof MAPPED_SECTIONS)[number]

export const META_FIELDS = ['studyDate', 'modality', 'patientId', 'accession'] as const
export type MetaField = (typeof META_FIELDS)[number]

export interface FieldMapping {
  /** Field holding the external report id; absent = the report key is a hash of the text. */
  idField?: string
  /** One field with the whole report text ... */
  textField?: string
  /** ... or one field per section, composed into "FINDINGS: ...\n\nIMPRESSION: ..." in this order. */
  sectionFields?: Partial<Record<MappedSection, string>>
  meta?: Partial<Record<MetaField, string>>
  /** A site's own header phrases -> sections (saved with the preset; see SectionHeaderMap). */
  sectionHeaders?: SectionHeaderMap
}

/** A record as a reader produced it: field name -> value as text. */
export type RecordFields = Record<string, string>

export interface ReportCandidate {
  externalId: string | null
  text: string
  sections: Section[]
  studyDate: string | null
  modality: string | null
  patientId: string | null
  accession: string | null
  /** Every other non-empty source field, kept so nothing of the record is lost. */
  meta: Record<string, string>
}

export type MapResult = { ok: true; report: ReportCandidate } | { ok: false; code: RejectCode; reason: string }

export type RejectCode =
  | 'missing_id'
  | 'empty_text'
  | 'bad_quoting'
  | 'field_count'
  | 'undecodable'
  | 'malformed'
  | 'not_a_report'
  | 'missing_field'

/** Check a mapping against the fields a source offers; returns readable problems (empty = fine). */
export function validateMapping(mapping: FieldMapping, fields: readonly string[]): string[] {
  const problems: string[] = []
  const has = new Set(fields)
  const sectionFields = Object.entries(mapping.sectionFields ?? {}).filter(([, f]) => f)
  if (!mapping.textField && sectionFields.length === 0) {
    problems.push('Choose the field with the report text, or one field per section (e.g. findings and impression).')
  }
  if (mapping.textField && sectionFields.length > 0) {
    problems.push('Choose either one text field or section fields, not both.')
  }
  const check = (what: string, f: string | undefined) => {
    if (f && !has.has(f)) problems.push(`${what} field "${f}" is not in this file (fields: ${fields.join(', ')}).`)
  }
  check('Id', mapping.idField)
  check('Text', mapping.textField)
  for (const [name, f] of sectionFields) check(`Section ${name}`, f)
  for (const [name, f] of Object.entries(mapping.meta ?? {})) check(`Metadata ${name}`, f)
  return problems
}

function clean(v: string | undefined): string | null {
  if (v === undefined) return null
  const t = v.trim()
  return t === '' ? null : t
}

/** Apply a mapping to one record. The text is kept exactly as in the source (no trimming). */
export function applyMapping(fields: RecordFields, mapping: FieldMapping, split?: SplitOptions): MapResult {
  let externalId: string | null = null
  if (mapping.idField) {
    externalId = clean(fields[mapping.idField])
    if (externalId === null) return { ok: false, code: 'missing_id', reason: `id field "${mapping.idField}" is empty` }
  }
  const used = new Set<string>()
  let text: string
  let sections: Section[]
  if (mapping.textField) {
    text = fields[mapping.textField] ?? ''
    used.add(mapping.textField)
    sections = splitSections(text, split ?? (mapping.sectionHeaders ? { headers: mapping.sectionHeaders } : undefined))
  } else {
    const parts: SectionPart[] = []
    for (const name of MAPPED_SECTIONS) {
      const f = mapping.sectionFields?.[name]
      if (!f) continue
      used.add(f)
      parts.push({ name, text: fields[f] ?? '' })
    }
    ;({ text, sections } = composeReport(parts))
  }
  if (text.trim() === '') return { ok: false, code: 'empty_text', reason: 'report text is empty' }
  const m = mapping.meta ?? {}
  // Fields stored in their own columns are not repeated in meta.
  if (mapping.idField) used.add(mapping.idField)
  for (const f of Object.values(m)) if (f) used.add(f)
  const meta: Record<string, string> = {}
  for (const [k, v] of Object.entries(fields)) if (!used.has(k) && v !== '') meta[k] = v
  return {
    ok: true,
    report: {
      externalId,
      text,
      sections,
      studyDate: clean(m.studyDate ? fields[m.studyDate] : undefined),
      modality: clean(m.modality ? fields[m.modality] : undefined),
      patientId: clean(m.patientId ? fields[m.patientId] : undefined),
      accession: clean(m.accession ? fields[m.accession] : undefined),
      meta
    }
  }
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_\-.]+/g, '')

const ID_NAMES = ['reportid', 'id', 'studyid', 'accession', 'accessionnumber', 'uid', 'reportuid', 'examid', 'key']
const TEXT_NAMES = ['report', 'reporttext', 'text', 'fulltext', 'body', 'narrative', 'reportbody', 'content', 'note']
const SECTION_NAMES: Record<MappedSection, string[]> = {
  findings: ['findings', 'finding'],
  impression: ['impression', 'impressions', 'conclusion', 'conclusions'],
  indication: ['indication', 'indications', 'history', 'clinicalhistory', 'clinicalinformation', 'reasonforexam'],
  comparison: ['comparison', 'comparisons'],
  technique: ['technique', 'procedure'],
  other: []
}
const META_NAMES: Record<MetaField, string[]> = {
  studyDate: ['studydate', 'date', 'examdate', 'studydatetime', 'reportdate'],
  modality: ['modality'],
  patientId: ['patientid', 'subjectid', 'mrn', 'patient'],
  accession: ['accession', 'accessionnumber', 'accessionno']
}

function pick(fields: readonly string[], names: string[], exclude: Set<string>): string | undefined {
  for (const n of names) {
    const f = fields.find((x) => norm(x) === n && !exclude.has(x))
    if (f) return f
  }
  return undefined
}

/**
 * Guess a mapping from field names (and, when names say nothing, from sample values: the longest
 * field is the text). The user confirms or changes it in the wizard.
 */
export function suggestMapping(fields: readonly string[], samples: RecordFields[] = []): FieldMapping {
  const taken = new Set<string>()
  const mapping: FieldMapping = {}
  const text = pick(fields, TEXT_NAMES, taken)
  const sectionFields: Partial<Record<MappedSection, string>> = {}
  for (const name of MAPPED_SECTIONS) {
    const f = pick(fields, SECTION_NAMES[name], taken)
    if (f) sectionFields[name] = f
  }
  if (text) {
    mapping.textField = text
    taken.add(text)
  } else if (sectionFields.findings || sectionFields.impression) {
    mapping.sectionFields = sectionFields
    for (const f of Object.values(sectionFields)) taken.add(f as string)
  } else if (samples.length > 0) {
    let best: string | undefined
    let bestLen = -1
    for (const f of fields) {
      const len = samples.reduce((a, s) => a + (s[f]?.length ?? 0), 0)
      if (len > bestLen) [best, bestLen] = [f, len]
    }
    if (best) {
      mapping.textField = best
      taken.add(best)
    }
  }
  // Metadata may reuse the id field (an accession number is often both); never a text field.
  const textFields = new Set(taken)
  const id = pick(fields, ID_NAMES, taken)
  if (id) mapping.idField = id
  const meta: Partial<Record<MetaField, string>> = {}
  for (const m of META_FIELDS) {
    const f = pick(fields, META_NAMES[m], textFields)
    if (f) meta[m] = f
  }
  if (Object.keys(meta).length > 0) mapping.meta = meta
  return mapping
}
