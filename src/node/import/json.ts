// JSON array / JSONL readers (streaming), and the shared plumbing FHIR uses for Bundles and NDJSON.
import type { ImportFormat, RecordFields } from '../../common/import/mapping'
import { REPLACEMENT_CHAR } from './decode'
import { JsonRecordScanner, RECORD_ARRAY_KEYS, type ScanEvent } from './json-scanner'
import { openTextFile } from './text-file'
import {
  ImportFileError,
  clipRaw,
  type ErrorItem,
  type ReaderItem,
  type ReadOptions,
  type RecordLocation,
  type RecordSource
} from './types'

/** Nested objects become dotted names ("report.findings"); arrays of strings become lines. */
export function flattenRecord(value: Record<string, unknown>, prefix = '', out: RecordFields = {}): RecordFields {
  for (const [k, v] of Object.entries(value)) {
    const name = prefix + k
    if (v === null || v === undefined) out[name] = ''
    else if (typeof v === 'string') out[name] = v
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v)
    else if (Array.isArray(v)) out[name] = v.every((x) => typeof x === 'string') ? v.join('\n') : JSON.stringify(v)
    else flattenRecord(v as Record<string, unknown>, name + '.', out)
  }
  return out
}

/** Turns one parsed JSON value into a reader item, or null to skip it silently (e.g. a FHIR Patient). */
export type ValueConverter = (value: unknown, loc: RecordLocation, raw: string) => ReaderItem | null

export const plainRecord: ValueConverter = (value, loc, raw) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const type = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
    return { kind: 'error', code: 'malformed', reason: `record ${loc.record} is ${type}, not an object with fields`, loc, raw: clipRaw(raw) }
  }
  return { kind: 'record', fields: flattenRecord(value as Record<string, unknown>), loc }
}

function parseError(err: unknown, loc: RecordLocation, raw: string): ErrorItem {
  const msg = err instanceof Error ? err.message : String(err)
  return {
    kind: 'error',
    code: 'malformed',
    reason: `invalid JSON in record ${loc.record}${loc.line ? ` (line ${loc.line})` : ''}: ${msg}`,
    loc,
    raw: clipRaw(raw)
  }
}

/** Splits text into lines across chunks, keeping line numbers. */
export class LineSplitter {
  private rest = ''
  private line = 0
  push(chunk: string, out: Array<{ text: string; line: number }> = []): Array<{ text: string; line: number }> {
    const s = this.rest + chunk
    let from = 0
    for (;;) {
      const nl = s.indexOf('\n', from)
      if (nl === -1) break
      const end = nl > from && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl
      out.push({ text: s.slice(from, end), line: ++this.line })
      from = nl + 1
    }
    this.rest = s.slice(from)
    return out
  }
  end(out: Array<{ text: string; line: number }> = []): Array<{ text: string; line: number }> {
    if (this.rest !== '') out.push({ text: this.rest.replace(/\r$/, ''), line: ++this.line })
    this.rest = ''
    return out
  }
}

export interface JsonLikeOptions {
  format: ImportFormat
  mode: 'array' | 'lines'
  convert: ValueConverter
  arrayKeys?: readonly string[]
  /** Counts skipped values (e.g. non-report FHIR resources); reported in notes of the summary. */
  onSkip?: () => void
}

/** Generic streaming reader over JSON values: elements of a records array, or one value per line. */
export async function openJsonLike(path: string, opts: ReadOptions, jl: JsonLikeOptions): Promise<RecordSource> {
  const file = await openTextFile(path, opts.encoding)
  const notes: string[] = file.guess.note ? [file.guess.note] : []
  if (file.headText.trim() === '') throw new ImportFileError(path, 'the file is empty.', 'Choose a file with reports.')

  const checkDecoding = file.guess.encoding !== 'windows-1252'
  const makeConverter = (skipFirst: number) => {
    let record = 0
    let skip = skipFirst
    return (e: ScanEvent | { kind: 'line'; text: string; line: number }, items: ReaderItem[]) => {
      if (e.kind === 'line' && e.text.trim() === '') return
      record++
      if (skip > 0) {
        skip--
        return
      }
      const loc: RecordLocation = { file: path, line: e.line, record }
      if (e.kind === 'error') {
        items.push({ kind: 'error', code: 'malformed', reason: e.reason, loc, raw: clipRaw(e.raw) })
        return
      }
      let value: unknown
      try {
        value = JSON.parse(e.text)
      } catch (err) {
        items.push(parseError(err, loc, e.text))
        return
      }
      const item = jl.convert(value, loc, e.text)
      if (item && item.kind === 'record' && checkDecoding && e.text.includes(REPLACEMENT_CHAR)) {
        items.push({
          kind: 'error',
          code: 'undecodable',
          reason: `contains bytes that are not valid ${file.guess.encoding.toUpperCase()} (shown as \uFFFD); re-export the file as UTF-8 or choose the Windows-1252 encoding`,
          loc,
          raw: clipRaw(e.text)
        })
      } else if (item) items.push(item)
      else jl.onSkip?.()
    }
  }

  const iterate = async function* (chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<ReaderItem[]> {
    const convert = makeConverter(opts.skip ?? 0)
    if (jl.mode === 'lines') {
      const splitter = new LineSplitter()
      for await (const chunk of chunks) {
        const items: ReaderItem[] = []
        for (const l of splitter.push(chunk)) convert({ kind: 'line', ...l }, items)
        if (items.length) yield items
      }
      const items: ReaderItem[] = []
      for (const l of splitter.end()) convert({ kind: 'line', ...l }, items)
      if (items.length) yield items
    } else {
      const scanner = new JsonRecordScanner(jl.arrayKeys ?? RECORD_ARRAY_KEYS)
      for await (const chunk of chunks) {
        const items: ReaderItem[] = []
        for (const e of scanner.push(chunk)) convert(e, items)
        if (items.length) yield items
      }
      const items: ReaderItem[] = []
      for (const e of scanner.end()) convert(e, items)
      if (items.length) yield items
    }
  }

  // Field names: the union over the records in the first 64 KB.
  const fields: string[] = []
  const seen = new Set<string>()
  const sample: ReaderItem[] = []
  const convert = makeConverter(0)
  if (jl.mode === 'lines') {
    const splitter = new LineSplitter()
    const lines = splitter.push(file.headText)
    if (file.totalBytes <= 65536) splitter.end(lines)
    for (const l of lines.slice(0, 200)) convert({ kind: 'line', ...l }, sample)
  } else {
    const sc = new JsonRecordScanner(jl.arrayKeys ?? RECORD_ARRAY_KEYS)
    const events = sc.push(file.headText)
    if (file.totalBytes <= 65536) sc.end(events)
    for (const e of events.slice(0, 200)) convert(e, sample)
    if (events.length === 0 && file.totalBytes <= 65536) {
      throw new ImportFileError(path, 'no records found in the JSON.', 'Expected an array of report objects.')
    }
    const firstError = events.find((e) => e.kind === 'error' && e.index === 0)
    if (firstError && firstError.kind === 'error') throw new ImportFileError(path, firstError.reason, 'Choose a JSON file.')
  }
  for (const it of sample) {
    if (it.kind !== 'record') continue
    for (const k of Object.keys(it.fields))
      if (!seen.has(k)) {
        seen.add(k)
        fields.push(k)
      }
  }

  return {
    info: { path, format: jl.format, encoding: file.guess.encoding, notes, fields, totalBytes: file.totalBytes },
    bytesRead: file.bytesRead,
    batches: () => iterate(file.chunks())
  }
}

export function openJson(path: string, opts: ReadOptions = {}): Promise<RecordSource> {
  return openJsonLike(path, opts, { format: 'json', mode: 'array', convert: plainRecord })
}

export function openJsonl(path: string, opts: ReadOptions = {}): Promise<RecordSource> {
  return openJsonLike(path, opts, { format: 'jsonl', mode: 'lines', convert: plainRecord })
}
