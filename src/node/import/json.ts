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
  type RecordSource,
  recordCharsCap
} from './types'

/** Deepest nesting a record may have: real report records have a handful of levels. */
export const MAX_RECORD_DEPTH = 64

/** Does a parsed value nest objects/arrays deeper than `limit`? Iterative: no recursion on hostile input. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }]
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number }
    if (v === null || typeof v !== 'object') continue
    if (d >= limit) return true
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === 'object') stack.push({ v: x, d: d + 1 })
  }
  return false
}

/** The rejection of a record nested too deeply, with its location. */
export function tooDeep(loc: RecordLocation, raw: string): ErrorItem {
  return {
    kind: 'error',
    code: 'malformed',
    reason: `record ${loc.record}${loc.line ? ` (line ${loc.line})` : ''} is nested deeper than ${MAX_RECORD_DEPTH} levels; not a report record`,
    loc,
    raw: clipRaw(raw.slice(0, 2000))
  }
}

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
  if (nestedDeeperThan(value, MAX_RECORD_DEPTH)) return tooDeep(loc, raw)
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

/** One line of a lines file; `oversized`: longer than the cap, its text dropped. */
export interface SplitLine {
  text: string
  line: number
  oversized?: boolean
}

/**
 * Splits text into lines across chunks, keeping line numbers. Linear in the input: a line spanning many
 * chunks is kept as parts and joined once; one longer than `maxChars` is dropped (reported, not kept).
 */
export class LineSplitter {
  private parts: string[] = []
  private partsLength = 0
  private oversized = false
  private line = 0
  constructor(private readonly maxChars = Infinity) {}
  push(chunk: string, out: SplitLine[] = []): SplitLine[] {
    let from = 0
    for (;;) {
      const nl = chunk.indexOf('\n', from)
      if (nl === -1) break
      const piece = chunk.slice(from, nl)
      this.finish(piece, out)
      from = nl + 1
    }
    const rest = from === 0 ? chunk : chunk.slice(from)
    if (rest !== '') {
      if (!this.oversized && this.partsLength + rest.length > this.maxChars) {
        this.oversized = true
        this.parts = []
        this.partsLength = 0
      }
      if (!this.oversized) {
        this.parts.push(rest)
        this.partsLength += rest.length
      }
    }
    return out
  }
  end(out: SplitLine[] = []): SplitLine[] {
    if (this.partsLength > 0 || this.oversized) this.finish('', out)
    return out
  }
  private finish(piece: string, out: SplitLine[]): void {
    const line = ++this.line
    if (this.oversized || this.partsLength + piece.length > this.maxChars) {
      out.push({ text: '', line, oversized: true })
    } else {
      let text = this.parts.length ? this.parts.join('') + piece : piece
      if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1)
      out.push({ text, line })
    }
    this.parts = []
    this.partsLength = 0
    this.oversized = false
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
    return (e: ScanEvent | ({ kind: 'line' } & SplitLine), items: ReaderItem[]) => {
      if (e.kind === 'line' && !e.oversized && e.text.trim() === '') return
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
      if (e.kind === 'line' && e.oversized) {
        items.push({
          kind: 'error',
          code: 'malformed',
          reason: `line ${e.line} is longer than ${recordCharsCap(opts.maxReportChars)} characters; skipped`,
          loc
        })
        return
      }
      let value: unknown
      try {
        value = JSON.parse(e.text)
      } catch (err) {
        items.push(parseError(err, loc, e.text))
        return
      }
      let item: ReaderItem | null
      try {
        item = jl.convert(value, loc, e.text)
      } catch (err) {
        // A converter meeting a shape it does not expect costs this record only.
        item = {
          kind: 'error',
          code: 'malformed',
          reason: `record ${loc.record}${loc.line ? ` (line ${loc.line})` : ''} has an unexpected structure: ${(err as Error).message}`,
          loc,
          raw: clipRaw(e.text)
        }
      }
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
      const splitter = new LineSplitter(recordCharsCap(opts.maxReportChars))
      for await (const chunk of chunks) {
        const items: ReaderItem[] = []
        for (const l of splitter.push(chunk)) convert({ kind: 'line', ...l }, items)
        if (items.length) yield items
      }
      const items: ReaderItem[] = []
      for (const l of splitter.end()) convert({ kind: 'line', ...l }, items)
      if (items.length) yield items
    } else {
      const scanner = new JsonRecordScanner(jl.arrayKeys ?? RECORD_ARRAY_KEYS, recordCharsCap(opts.maxReportChars))
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
