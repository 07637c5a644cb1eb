// A streaming RFC 4180 parser written for speed and exact error locations: feed string chunks, get rows
// with the line they start on. Quoted fields may span lines; line endings inside them are kept verbatim.
// A stray quote inside an unquoted field is kept as text (common in exports: 5" lesion). Bad quoting is
// reported for the record's first line and parsing resumes on the next line, so no later row is lost.

export type CsvEvent =
  | { kind: 'row'; fields: string[]; line: number }
  | { kind: 'error'; line: number; reason: string; raw: string }

export interface CsvParserOptions {
  delimiter: string
  /**
   * A record longer than this is not buffered: an unquoted one is reported once and skipped to its line
   * end (streamed, so time stays linear), a quoted field without a closing quote within it is an
   * unterminated quote. Bounds memory and the re-scans of an incomplete record.
   */
  maxRecordChars?: number
  /** Line number of the first line fed (2 when a `sep=` line was cut off). */
  firstLine?: number
}

const QUOTE = 34
const LF = 10
const CR = 13

/** Line breaks (\r\n, \n or a lone \r) between from and to. */
export function countLineBreaks(s: string, from: number, to: number): number {
  let n = 0
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++
  for (let i = s.indexOf('\r', from); i !== -1 && i < to; i = s.indexOf('\r', i + 1)) if (s.charCodeAt(i + 1) !== LF) n++
  return n
}

export class CsvParser {
  private buf = ''
  private pos = 0
  /** Line number of `pos`. */
  private line = 1
  private readonly delim: number
  private readonly maxRecordChars: number
  /** Inside an over-long unquoted record: input is dropped up to the next line break. */
  private skippingLine = false

  constructor(opts: CsvParserOptions) {
    if (opts.delimiter.length !== 1) throw new Error('CSV delimiter must be one character')
    this.delim = opts.delimiter.charCodeAt(0)
    this.maxRecordChars = opts.maxRecordChars ?? 4_000_000
    this.line = opts.firstLine ?? 1
  }

  push(chunk: string, out: CsvEvent[] = []): CsvEvent[] {
    if (this.skippingLine) {
      chunk = this.skipToLineEnd(chunk)
      if (this.skippingLine) return out
    }
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk
    this.pos = 0
    this.drain(false, out)
    return out
  }

  end(out: CsvEvent[] = []): CsvEvent[] {
    if (this.skippingLine) {
      this.skippingLine = false
      this.buf = ''
      this.pos = 0
      return out
    }
    this.drain(true, out)
    this.buf = ''
    this.pos = 0
    return out
  }

  /** Drop input up to and including the next line break; returns what follows it. */
  private skipToLineEnd(chunk: string): string {
    let k = 0
    while (k < chunk.length && chunk.charCodeAt(k) !== LF && chunk.charCodeAt(k) !== CR) k++
    if (k >= chunk.length) return ''
    this.skippingLine = false
    this.line++
    // A \r\n split across chunks leaves a lone \n at the next chunk's start: a blank line, no record.
    return chunk.charCodeAt(k) === CR && chunk.charCodeAt(k + 1) === LF ? chunk.slice(k + 2) : chunk.slice(k + 1)
  }

  private drain(final: boolean, out: CsvEvent[]): void {
    while (this.pos < this.buf.length) {
      if (!this.parseRecord(final, out)) break
    }
  }

  /** Report a bad record (raw text up to where parsing gave up) and resume on the line after its first. */
  private resync(start: number, upTo: number, reason: string, out: CsvEvent[]): void {
    const s = this.buf
    let k = start
    while (k < s.length && s.charCodeAt(k) !== LF && s.charCodeAt(k) !== CR) k++
    const next = k < s.length ? (s.charCodeAt(k) === CR && s.charCodeAt(k + 1) === LF ? k + 2 : k + 1) : k
    out.push({ kind: 'error', line: this.line, reason, raw: s.slice(start, Math.min(Math.max(upTo, k), start + 20000)) })
    if (next > k) this.line++
    this.pos = next
  }

  /** Parse one record at pos; false = need more input (or nothing left). */
  private parseRecord(final: boolean, out: CsvEvent[]): boolean {
    const s = this.buf
    const n = s.length
    const d = this.delim
    const start = this.pos
    const fields: string[] = []
    let i = start
    let breaks = 0
    for (;;) {
      if (i < n && s.charCodeAt(i) === QUOTE) {
        // Quoted field: find the closing quote, unescaping "" as we go.
        let j = i + 1
        let doubled = false
        let q: number
        for (;;) {
          q = s.indexOf('"', j)
          if (q === -1) {
            if (!final && n - start <= this.maxRecordChars) return false
            const why = final ? '' : ` (no closing quote within ${this.maxRecordChars} characters)`
            this.resync(start, n, `unterminated quoted field starting on line ${this.line + breaks}${why}`, out)
            return true
          }
          // A quote at the end of the buffer may be the first half of "": wait for the next chunk.
          if (q + 1 >= n && !final) return false
          if (s.charCodeAt(q + 1) === QUOTE) {
            doubled = true
            j = q + 2
            continue
          }
          break
        }
        const raw = s.slice(i + 1, q)
        const value = doubled ? raw.replaceAll('""', '"') : raw
        breaks += countLineBreaks(s, i, q)
        i = q + 1
        if (i >= n) {
          if (!final) return false
          fields.push(value)
          return this.emit(fields, n, breaks, out)
        }
        const c = s.charCodeAt(i)
        if (c === d) {
          fields.push(value)
          i++
          continue
        }
        if (c === LF || c === CR) {
          fields.push(value)
          return this.endAtBreak(fields, i, breaks, final, out)
        }
        this.resync(
          start,
          i + 1,
          `bad quoting: unexpected text after a closing quote on line ${this.line + breaks} ` +
            `(a quote inside a quoted field must be doubled: "")`,
          out
        )
        return true
      }
      // Unquoted field.
      let j = i
      let c = 0
      while (j < n) {
        c = s.charCodeAt(j)
        if (c === d || c === LF || c === CR) break
        j++
      }
      if (j >= n) {
        if (!final && n - start > this.maxRecordChars) {
          // An over-long unquoted record: report it once, then stream past its line end.
          out.push({
            kind: 'error',
            line: this.line + breaks,
            reason: `record longer than ${this.maxRecordChars} characters on line ${this.line + breaks}; skipped to its line end`,
            raw: s.slice(start, start + 2000)
          })
          this.line += breaks
          this.skippingLine = true
          this.buf = ''
          this.pos = 0
          return false
        }
        if (!final) return false
        fields.push(s.slice(i, j))
        return this.emit(fields, n, breaks, out)
      }
      fields.push(s.slice(i, j))
      if (c === d) {
        i = j + 1
        continue
      }
      return this.endAtBreak(fields, j, breaks, final, out)
    }
  }

  private endAtBreak(fields: string[], k: number, breaks: number, final: boolean, out: CsvEvent[]): boolean {
    const s = this.buf
    if (s.charCodeAt(k) === CR && k + 1 >= s.length && !final) return false // \r\n may be split
    const next = s.charCodeAt(k) === CR && s.charCodeAt(k + 1) === LF ? k + 2 : k + 1
    return this.emit(fields, next, breaks + 1, out)
  }

  private emit(fields: string[], next: number, breaks: number, out: CsvEvent[]): boolean {
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '' && next - this.pos <= 2)) {
      out.push({ kind: 'row', fields, line: this.line })
    }
    this.line += breaks
    this.pos = next
    return true
  }
}

/** Parse a whole string (tests, sniffing). */
export function parseCsv(text: string, delimiter = ','): CsvEvent[] {
  const p = new CsvParser({ delimiter })
  const out = p.push(text)
  return p.end(out)
}

export const DELIMITER_CANDIDATES = [',', '\t', ';', '|'] as const

/**
 * Pick the delimiter that splits the first rows into the same number (> 1) of fields most consistently.
 * `sample` may end mid-record; the incomplete tail is ignored.
 */
export function sniffDelimiter(sample: string, complete: boolean): string | undefined {
  let best: string | undefined
  let bestScore = 0
  for (const d of DELIMITER_CANDIDATES) {
    const p = new CsvParser({ delimiter: d })
    const events = p.push(sample)
    if (complete) p.end(events)
    const rows = events.filter((e): e is Extract<CsvEvent, { kind: 'row' }> => e.kind === 'row').slice(0, 50)
    if (rows.length === 0) continue
    const counts = new Map<number, number>()
    for (const r of rows) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1)
    let mode = 0
    let freq = 0
    for (const [k, v] of counts) if (v > freq || (v === freq && k > mode)) [mode, freq] = [k, v]
    if (mode < 2) continue
    // Consistency first; more columns breaks ties (a comma inside text rarely splits every row alike).
    const score = (freq / rows.length) * 1000 + Math.min(mode, 100)
    if (score > bestScore) [best, bestScore] = [d, score]
  }
  return best
}

const NUMERIC = /^[-+]?\d+([.,]\d+)?$/

/** Does the first row look like column names rather than data? */
export function looksLikeHeader(first: string[], second?: string[]): boolean {
  const seen = new Set<string>()
  for (const f of first) {
    const t = f.trim()
    if (t === '' || t.length > 64 || /[\r\n]/.test(t) || NUMERIC.test(t) || seen.has(t.toLowerCase())) return false
    // Names are short labels, not sentences.
    if (t.split(/\s+/).length > 6 || /[.!?]$/.test(t)) return false
    seen.add(t.toLowerCase())
  }
  if (!second) return true
  // A data row identical in shape (same short, non-numeric values) would be odd for a report file;
  // we accept the first row as names unless the second row repeats it.
  return second.some((f, i) => f !== first[i])
}
