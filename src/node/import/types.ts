// What every format reader yields: records with their location, or per-record errors (never thrown).
// A file that cannot be read as a report source at all throws one ImportFileError instead.
import { AppError } from '../../common/errors'
import type { ImportFormat } from '../../common/import/mapping'
import type { ReaderItem, SourceInfo, TextEncoding } from '../../common/import/dto'

export type { ErrorItem, ReaderItem, RecordItem, RecordLocation, SourceInfo, TextEncoding } from '../../common/import/dto'

export interface ReadOptions {
  /** Force a format instead of detecting it. */
  format?: ImportFormat | 'auto'
  /** Force an encoding instead of detecting it. */
  encoding?: TextEncoding
  /** CSV: force the delimiter. */
  delimiter?: string
  /** CSV/xlsx: force whether the first row is a header. */
  hasHeader?: boolean
  /** xlsx: sheet name (default: the first sheet). */
  sheet?: string
  /** Reports longer than this many characters are rejected (default DEFAULT_MAX_REPORT_CHARS). */
  maxReportChars?: number
  /** Skip the first N items (records and errors) of the file: resume after a checkpoint. */
  skip?: number
}

/**
 * An opened source: its facts and its items, streamed in small batches (one batch per decoded chunk,
 * which keeps per-record async overhead out of the hot path). `bytesRead` grows as batches are read.
 */
export interface RecordSource {
  info: SourceInfo
  bytesRead(): number
  batches(): AsyncIterable<ReaderItem[]>
}

/** The items of a source one by one. */
export async function* records(source: RecordSource): AsyncGenerator<ReaderItem> {
  for await (const batch of source.batches()) yield* batch
}

/** A whole file refused: not a report source, unreadable, or the wrong format. */
export class ImportFileError extends AppError {
  constructor(
    readonly file: string,
    message: string,
    hint?: string
  ) {
    super('invalid_input', `${file}: ${message}`, hint)
    this.name = 'ImportFileError'
  }
}

/** Keep raw input of rejected records bounded in memory and in the error file. */
export const MAX_RAW = 20_000
export function clipRaw(s: string): string {
  return s.length > MAX_RAW ? s.slice(0, MAX_RAW) + `… [${s.length - MAX_RAW} more characters]` : s
}

/** Default per-report size cap: 1 MiB of text, far above any real radiology report (a few KB). */
export const DEFAULT_MAX_REPORT_CHARS = 1024 * 1024

/** The most a reader buffers for one record: the report cap plus room for the other fields. */
export function recordCharsCap(maxReportChars: number | undefined): number {
  const cap = maxReportChars ?? DEFAULT_MAX_REPORT_CHARS
  return cap * 2 + 65536
}
