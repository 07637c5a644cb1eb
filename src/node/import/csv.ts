// CSV/TSV reader: sniffs delimiter and header, checks field counts, flags undecodable bytes per record.
import { extname } from 'node:path'
import { REPLACEMENT_CHAR } from './decode'
import { CsvParser, looksLikeHeader, parseCsv, sniffDelimiter, type CsvEvent } from './csv-parser'
import { openTextFile } from './text-file'
import { ImportFileError, clipRaw, recordCharsCap, type ErrorItem, type ReaderItem, type ReadOptions, type RecordSource } from './types'

/** Column names from a header row: blanks and duplicates get usable names. */
export function columnNames(row: string[]): string[] {
  const seen = new Map<string, number>()
  return row.map((raw, i) => {
    let name = raw.trim() || `column${i + 1}`
    const n = seen.get(name.toLowerCase()) ?? 0
    seen.set(name.toLowerCase(), n + 1)
    if (n > 0) name = `${name}_${n + 1}`
    return name
  })
}

/** Re-encode fields as one CSV line (for the raw text of a rejected row). */
export function toCsvLine(fields: string[], delimiter: string): string {
  return fields
    .map((f) => (f.includes('"') || f.includes(delimiter) || /[\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f))
    .join(delimiter)
}

/** Excel's `sep=;` first line (optionally quoted): the delimiter, and the length of the line to skip. */
export function sepHint(head: string): { delimiter: string; length: number } | undefined {
  const m = /^"?sep=(.)"?[ \t]*(\r\n|\r|\n|$)/i.exec(head)
  if (!m || m[1] === '\r' || m[1] === '\n') return undefined
  return { delimiter: m[1], length: m[0].length }
}

export async function openCsv(path: string, opts: ReadOptions = {}, format: 'csv' | 'tsv' = 'csv'): Promise<RecordSource> {
  const file = await openTextFile(path, opts.encoding)
  const notes: string[] = []
  if (file.guess.note) notes.push(file.guess.note)
  const complete = file.totalBytes <= 65536
  const hint = sepHint(file.headText)
  let headText = file.headText
  if (hint) {
    headText = headText.slice(hint.length)
    notes.push(`the first line "sep=${hint.delimiter}" (Excel's delimiter hint) was read as the delimiter and skipped`)
  }
  let delimiter =
    opts.delimiter ?? hint?.delimiter ?? (format === 'tsv' || extname(path).toLowerCase() === '.tsv' ? '\t' : undefined)
  if (!delimiter) {
    delimiter = sniffDelimiter(headText, complete)
    if (!delimiter) {
      if (headText.trim() === '') throw new ImportFileError(path, 'the file is empty.', 'Choose a file with reports.')
      delimiter = ','
      notes.push('no delimiter found in the first rows; reading the file as a single column')
    }
  }
  const headRows = parseCsv(headText.slice(0, 65536), delimiter).filter(
    (e): e is Extract<CsvEvent, { kind: 'row' }> => e.kind === 'row'
  )
  if (headRows.length === 0) throw new ImportFileError(path, 'no rows found.', 'Choose a file with reports.')
  const hasHeader = opts.hasHeader ?? looksLikeHeader(headRows[0].fields, headRows[1]?.fields)
  const fields = hasHeader ? columnNames(headRows[0].fields) : headRows[0].fields.map((_, i) => `column${i + 1}`)
  const checkDecoding = file.guess.encoding !== 'windows-1252'
  const delim = delimiter

  return {
    info: {
      path,
      format: delimiter === '\t' ? 'tsv' : format,
      encoding: file.guess.encoding,
      notes,
      delimiter,
      hasHeader,
      fields,
      totalBytes: file.totalBytes
    },
    bytesRead: file.bytesRead,
    async *batches() {
      const parser = new CsvParser({ delimiter: delim, maxRecordChars: recordCharsCap(opts.maxReportChars), firstLine: hint ? 2 : 1 })
      let headerPending = hasHeader
      let record = 0
      let skip = opts.skip ?? 0
      const ncol = fields.length
      // After bad quoting, the lines that do not parse as records (the rest of a runaway quoted field) are
      // one rejection, not one per line: held here until a record with the right field count resumes.
      let junk: { first: ErrorItem; lines: number; lastLine: number } | undefined
      const emit = (item: ReaderItem, items: ReaderItem[]) => {
        record++
        item.loc.record = record
        if (skip > 0) skip--
        else items.push(item)
      }
      const flushJunk = (items: ReaderItem[]) => {
        if (!junk) return
        const { first, lines, lastLine } = junk
        junk = undefined
        if (lines > 0) {
          first.reason +=
            `; lines ${first.loc.line}-${lastLine} do not parse as records after it (${lines} more line${lines === 1 ? '' : 's'}` +
            ` skipped as part of this rejection; the quoted field probably never closes)`
        }
        emit(first, items)
      }
      const convert = (events: CsvEvent[]): ReaderItem[] => {
        const items: ReaderItem[] = []
        for (const e of events) {
          if (headerPending && e.kind === 'row') {
            headerPending = false
            continue
          }
          const loc = { file: path, line: e.line, record: 0 }
          if (e.kind === 'error') {
            if (junk) {
              junk.lines++
              junk.lastLine = e.line
              continue
            }
            const item: ErrorItem = { kind: 'error', code: 'bad_quoting', reason: e.reason, loc, raw: clipRaw(e.raw) }
            if (/quot/.test(e.reason)) junk = { first: item, lines: 0, lastLine: e.line }
            else emit(item, items)
            continue
          }
          let row = e.fields
          // Trailing empty extra fields (a delimiter at the end of the line) are harmless.
          if (row.length > ncol && row.slice(ncol).every((f) => f === '')) row = row.slice(0, ncol)
          if (row.length !== ncol) {
            if (junk) {
              junk.lines++
              junk.lastLine = e.line
              continue
            }
            emit(
              {
                kind: 'error',
                code: 'field_count',
                reason: `expected ${ncol} fields, found ${row.length} (check quoting of the previous lines or the delimiter)`,
                loc,
                raw: clipRaw(toCsvLine(row, delim))
              },
              items
            )
            continue
          }
          flushJunk(items)
          if (checkDecoding && row.some((f) => f.includes(REPLACEMENT_CHAR))) {
            emit(
              {
                kind: 'error',
                code: 'undecodable',
                reason: `contains bytes that are not valid ${file.guess.encoding.toUpperCase()} (shown as \uFFFD); re-export the file as UTF-8 or choose the Windows-1252 encoding`,
                loc,
                raw: clipRaw(toCsvLine(row, delim))
              },
              items
            )
            continue
          }
          const rec: Record<string, string> = {}
          for (let i = 0; i < ncol; i++) rec[fields[i]] = row[i]
          emit({ kind: 'record', fields: rec, loc }, items)
        }
        return items
      }
      let first = true
      for await (let chunk of file.chunks()) {
        if (first && hint) chunk = chunk.slice(hint.length)
        first = false
        const items = convert(parser.push(chunk))
        if (items.length) yield items
      }
      const items = convert(parser.end())
      flushJunk(items)
      if (items.length) yield items
    }
  }
}
