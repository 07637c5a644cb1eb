// Plain data the import feature passes across layers (reader -> pipeline -> IPC -> renderer).
import type { Section, SectionName } from '../types'
import type { SectionHeaderMap } from '../text/sections'
import type { FieldMapping, ImportFormat, MapResult, RecordFields, RejectCode } from './mapping'

export interface RecordLocation {
  /** Path of the file the record came from (for folders: the .txt file). */
  file: string
  /** 1-based line where the record starts, when the format has lines. */
  line?: number
  /** 1-based record number within the file (data rows, array elements, messages, ...). */
  record: number
  /** Spreadsheet sheet name, for xlsx. */
  sheet?: string
}

export interface RecordItem {
  kind: 'record'
  fields: RecordFields
  loc: RecordLocation
}

export interface ErrorItem {
  kind: 'error'
  code: RejectCode
  /** What is wrong with this record and, where useful, what to do. */
  reason: string
  loc: RecordLocation
  /** The raw input of the record (possibly truncated), kept so nothing is lost. */
  raw?: string
}

export type ReaderItem = RecordItem | ErrorItem

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']

/** Facts a reader found out about its file, shown in the wizard and the summary. */
export interface SourceInfo {
  path: string
  format: ImportFormat
  encoding?: TextEncoding
  /** e.g. "file is not valid UTF-8; decoded as Windows-1252". */
  notes: string[]
  delimiter?: string
  hasHeader?: boolean
  /** Field names records carry (columns, or the fixed fields of HL7/FHIR/txt records). */
  fields: string[]
  totalBytes: number
}

export interface PreviewRow {
  item: ReaderItem
  mapped?: MapResult
}

export interface Preview {
  info: SourceInfo
  suggested: FieldMapping
  /** Problems of the given (or suggested) mapping against the fields. */
  mappingProblems: string[]
  rows: PreviewRow[]
}

export interface ImportCounts {
  added: number
  duplicates: number
  conflicts: number
  rejected: number
  records: number
  /** New versions of reports already stored (addenda, corrected/amended results). */
  revised?: number
}

export interface FileResult extends ImportCounts {
  path: string
  batchId: number | null
  format: ImportFormat | null
  status: 'completed' | 'cancelled' | 'refused'
  /** Why a whole file was refused (not a report source, unreadable, mapping does not fit). */
  error?: string
  notes: string[]
  resumedFrom?: number
}

export interface BatchInfo {
  id: number
  name: string
  sourcePath: string
  format: ImportFormat
  encoding: string | null
  status: 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted'
  jobId: number | null
  recordsDone: number
  bytesDone: number
  bytesTotal: number | null
  added: number
  duplicates: number
  conflicts: number
  rejected: number
  /** New versions of stored reports (addenda, corrections) this batch added. */
  revised?: number
  /** Reports of this batch still in the workspace. */
  reportCount: number
  error: string | null
  createdAt: string
  finishedAt: string | null
  mapping: FieldMapping
}

export interface ImportIssue {
  id: number
  kind: 'rejected' | 'conflict' | 'duplicate'
  file: string
  location: string
  externalId: string | null
  reason: string
  excerpt: string | null
}

export interface MappingPreset {
  name: string
  format: ImportFormat
  mapping: FieldMapping
  updatedAt: string
}

export interface LabelImportResult {
  sourceId: number
  sourceName: string
  labelSetId: number
  /** File column -> label of the set. */
  matched: Array<{ column: string; label: string }>
  /** Columns that are neither the id nor a label of the set (e.g. Path, Sex, study_id). */
  unknownColumns: string[]
  /** Labels of the set with no column in the file (left without a value). */
  missingLabels: string[]
  rows: number
  reportsLabelled: number
  labelsWritten: number
  unknownReportIds: { count: number; sample: string[] }
  rejected: Array<{ location: string; reason: string }>
  rejectedCount: number
}


/** Per import batch: the headers its reports use and the section each opens (null: not recognised). */
export interface HeaderReport {
  batchId: number
  reports: number
  /** Reports with no findings or impression text: what a findings/impression scope would not see. */
  withoutFindingsOrImpression: number
  headers: Array<{ phrase: string; section: Exclude<SectionName, 'whole'> | null; count: number; reports: number }>
  /** Headers beyond the list (the rarest) left out. */
  moreHeaders: number
  /** The site header map the batch is split with. */
  sectionHeaders: SectionHeaderMap
}

/** One saved version of a preset's header -> section map. */
export interface SectionMapVersion {
  preset: string
  version: number
  headers: SectionHeaderMap
  createdAt: string
}

/** One version of a report: the original, then addenda and corrections (the latest is the report's text). */
export interface ReportVersion {
  version: number
  kind: 'original' | 'addendum' | 'correction' | 'amended'
  text: string
  sections: Section[]
  batchId: number | null
  sourceLocation: string | null
  /** The status the source gave (HL7 result status, FHIR status). */
  sourceStatus: string | null
  createdAt: string
  /** This is the text runs label. */
  current: boolean
}
