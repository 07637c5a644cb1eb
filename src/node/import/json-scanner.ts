// Incremental scanner that cuts the elements of a JSON records array out of a stream without parsing the
// whole document: a root array `[ {...}, ... ]`, or an array under a known key of a root object
// (`{"reports": [...]}`, a FHIR Bundle's `"entry": [...]`). Each element's text goes to JSON.parse alone,
// so one malformed record costs one record, and memory stays bounded by the largest record.

export type ScanEvent =
  | { kind: 'element'; text: string; line: number; index: number }
  | { kind: 'error'; line: number; index: number; reason: string; raw: string }

export const RECORD_ARRAY_KEYS = ['reports', 'records', 'data', 'items', 'rows', 'results', 'entry', 'documents']

const MAX_SINGLE_OBJECT = 64 * 1024 * 1024

export class JsonRecordScanner {
  private buf = ''
  /** Scan position in buf. */
  private pos = 0
  /** Start of the text that must be kept (element or root object being buffered). */
  private keep = -1
  private line = 1
  private inString = false
  private escape = false
  private readonly stack: number[] = [] // char codes '{' or '['
  private recordsDepth = -1
  private elementStart = -1
  private elementLine = 0
  private index = 0
  private rootKind = 0
  /** Root object: the last key read at depth 1 and whether the next string is a key. */
  private expectKey = false
  private keyStart = -1
  private lastKey = ''
  private done = false
  /** Inside an element over the size cap: scanned to its end without keeping its text. */
  private oversized = false

  constructor(
    private readonly arrayKeys: readonly string[] = RECORD_ARRAY_KEYS,
    private readonly maxElementChars = Infinity
  ) {}

  push(chunk: string, out: ScanEvent[] = []): ScanEvent[] {
    let cut = this.keep >= 0 ? Math.min(this.keep, this.pos) : this.pos
    if (this.keyStart >= 0) cut = Math.min(cut, this.keyStart)
    this.buf = this.buf.slice(cut) + chunk
    this.pos -= cut
    if (this.keep >= 0) this.keep -= cut
    if (this.elementStart >= 0) this.elementStart -= cut
    if (this.keyStart >= 0) this.keyStart -= cut
    this.scan(out)
    return out
  }

  end(out: ScanEvent[] = []): ScanEvent[] {
    if (this.rootKind === 0) {
      if (this.buf.trim() !== '')
        out.push({ kind: 'error', line: this.line, index: 0, reason: 'not JSON: expected [ or {', raw: this.buf.slice(0, 200) })
      return out
    }
    if (this.elementStart >= 0) {
      out.push({
        kind: 'error',
        line: this.elementLine,
        index: ++this.index,
        reason: `the file ends inside record ${this.index} (line ${this.elementLine}); the file may be truncated`,
        raw: this.buf.slice(this.elementStart, this.elementStart + 20000)
      })
    } else if (this.rootKind === 123 && this.recordsDepth < 0 && this.keep >= 0) {
      // A root object without a records array: the object itself is the one record.
      const text = this.buf.slice(this.keep).trim()
      if (this.stack.length === 0) out.push({ kind: 'element', text, line: 1, index: ++this.index })
      else
        out.push({ kind: 'error', line: 1, index: ++this.index, reason: 'the JSON object is not closed; the file may be truncated', raw: text.slice(0, 20000) })
    } else if (!this.done && this.stack.length > 0) {
      out.push({ kind: 'error', line: this.line, index: this.index + 1, reason: `the file ends before the records array is closed (line ${this.line}); the file may be truncated`, raw: '' })
    }
    return out
  }

  private scan(out: ScanEvent[]): void {
    const s = this.buf
    const n = s.length
    let i = this.pos
    while (i < n) {
      const c = s.charCodeAt(i)
      if (this.inString) {
        if (this.escape) this.escape = false
        else if (c === 92) this.escape = true
        else if (c === 34) {
          this.inString = false
          if (this.keyStart >= 0) {
            this.lastKey = s.slice(this.keyStart, i)
            this.keyStart = -1
          }
        } else if (c === 10) this.line++
        i++
        continue
      }
      if (c === 10) {
        this.line++
        i++
        continue
      }
      if (c === 32 || c === 9 || c === 13) {
        i++
        continue
      }
      const depth = this.stack.length
      if (this.rootKind === 0) {
        if (c === 0xfeff) {
          i++
          continue
        }
        if (c !== 91 && c !== 123) {
          out.push({ kind: 'error', line: this.line, index: 0, reason: 'not JSON: expected [ or {', raw: s.slice(i, i + 200) })
          this.done = true
          this.pos = n
          this.buf = ''
          return
        }
        this.rootKind = c
        this.stack.push(c)
        if (c === 91) this.recordsDepth = 1
        else {
          this.expectKey = true
          this.keep = i
        }
        i++
        continue
      }
      // An element of the records array begins.
      if (depth === this.recordsDepth && this.elementStart < 0 && !this.oversized && c !== 44 && c !== 93) {
        this.elementStart = i
        this.elementLine = this.line
        this.keep = i
      }
      if (c === 34) {
        this.inString = true
        if (depth === 1 && this.rootKind === 123 && this.expectKey) {
          this.keyStart = i + 1
          this.expectKey = false
        }
      } else if (c === 123 || c === 91) {
        if (c === 91 && depth === 1 && this.rootKind === 123 && this.recordsDepth < 0 && this.arrayKeys.includes(this.lastKey)) {
          this.recordsDepth = 2
          this.keep = -1
        }
        this.stack.push(c)
      } else if (c === 125 || c === 93) {
        this.stack.pop()
        if (this.stack.length === this.recordsDepth - 1 && c === 93) {
          this.closeScalar(s, i, out)
          this.recordsDepth = -2 // records array closed; ignore the rest
          this.done = true
        }
        if (this.stack.length === this.recordsDepth && this.elementStart >= 0) {
          this.emit(s, i + 1, out)
        } else if (this.stack.length === this.recordsDepth && this.oversized) this.oversized = false
      } else if (c === 44) {
        if (depth === this.recordsDepth) {
          this.closeScalar(s, i, out)
          this.oversized = false
        }
        if (depth === 1 && this.rootKind === 123) this.expectKey = true
      }
      i++
    }
    this.pos = i
    if (this.elementStart >= 0 && n - this.elementStart > this.maxElementChars) {
      // Report the record once and stop keeping its text; the scan goes on to its end in constant memory.
      out.push({
        kind: 'error',
        line: this.elementLine,
        index: ++this.index,
        reason: `record ${this.index} (line ${this.elementLine}) is longer than ${this.maxElementChars} characters; skipped`,
        raw: s.slice(this.elementStart, this.elementStart + 2000)
      })
      this.elementStart = -1
      this.keep = -1
      this.oversized = true
    }
    if (this.rootKind === 123 && this.recordsDepth < 0 && this.keep >= 0 && n - this.keep > MAX_SINGLE_OBJECT) {
      out.push({
        kind: 'error',
        line: 1,
        index: 1,
        reason: `the JSON object has no records array (${RECORD_ARRAY_KEYS.join(', ')}) within its first ${MAX_SINGLE_OBJECT / 1048576} MB`,
        raw: s.slice(this.keep, this.keep + 200)
      })
      this.keep = -1
    }
    if (this.elementStart < 0 && this.keep >= 0 && this.recordsDepth >= 1) this.keep = -1
  }

  /** A scalar element (e.g. a bare string) ends at the next comma or the closing bracket. */
  private closeScalar(s: string, i: number, out: ScanEvent[]): void {
    if (this.elementStart >= 0) this.emit(s, i, out)
  }

  private emit(s: string, end: number, out: ScanEvent[]): void {
    out.push({ kind: 'element', text: s.slice(this.elementStart, end).trim(), line: this.elementLine, index: ++this.index })
    this.elementStart = -1
    this.keep = -1
  }
}
