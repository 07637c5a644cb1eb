// Excel .xlsx reader: the zip is read with random access (yauzl), so the workbook, styles and shared
// strings are read first whatever the order of the parts in the file, and one sheet is then streamed
// row by row through a SAX parser. Nothing is written anywhere (no temp files), and every part's inflated
// size is capped (zip bombs are refused). Cells come out as the text a user sees: shared and inline
// strings with OOXML `_xHHHH_` escapes decoded, rich text joined, formulas by their cached result, dates
// (date-formatted numbers) as ISO 8601.
import { stat } from 'node:fs/promises'
import { posix } from 'node:path'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import yauzl from 'yauzl'
import { columnNames } from './csv'
import { looksLikeHeader } from './csv-parser'
import { readHead } from './decode'
import { ImportFileError, type ReaderItem, type ReadOptions, type RecordSource } from './types'

/** Inflated size any one part may reach: generous for real sheets, far below what a bomb inflates to. */
export const MAX_PART_RATIO = 200
export const MIN_PART_CAP = 64 * 1024 * 1024
export const MAX_PART_BYTES = 2 * 1024 * 1024 * 1024 - 1

/** Decode OOXML's `_xHHHH_` escapes as Excel does (`_x005F_` escapes the underscore itself). */
export function decodeOoxmlEscapes(s: string): string {
  if (!s.includes('_x')) return s
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

const partCap = (compressed: number) => Math.min(MAX_PART_BYTES, Math.max(MIN_PART_CAP, compressed * MAX_PART_RATIO))

/** The zip's directory, and streams of its parts with the inflated size capped. */
class Zip {
  private constructor(
    readonly path: string,
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, yauzl.Entry>
  ) {}

  static async open(path: string): Promise<Zip> {
    const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false })
    const entries = new Map<string, yauzl.Entry>()
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        entries.set(e.fileName.replace(/^\/+/, ''), e)
        zip.readEntry()
      })
      zip.on('end', () => resolve())
      zip.on('error', reject)
      zip.readEntry()
    })
    return new Zip(path, zip, entries)
  }

  has(name: string): boolean {
    return this.entries.has(name)
  }

  /** Refuse a part whose declared inflated size is over its cap (checked again while inflating). */
  check(name: string): void {
    const e = this.entries.get(name)
    if (!e) return
    const cap = partCap(e.compressedSize)
    if (e.uncompressedSize > cap) throw this.bomb(name, e.uncompressedSize, e.compressedSize)
  }

  private bomb(name: string, inflated: number, compressed: number): ImportFileError {
    return new ImportFileError(
      this.path,
      `the workbook part ${name} inflates to ${(inflated / 1048576).toFixed(0)} MB from ${(compressed / 1024).toFixed(0)} KB ` +
        `(more than ${MAX_PART_RATIO}:1 and over ${MIN_PART_CAP / 1048576} MB): a zip bomb or a damaged file; it is not read.`,
      'Open it in Excel and save it again, or export the reports as CSV.'
    )
  }

  /** The part's text in decoded chunks; throws when it inflates past its cap. */
  async *text(name: string, onInflated?: (bytes: number) => void): AsyncGenerator<string> {
    const e = this.entries.get(name)
    if (!e) return
    this.check(name)
    const cap = partCap(e.compressedSize)
    const stream: Readable = await this.zip.openReadStreamPromise(e)
    const decoder = new StringDecoder('utf8')
    let inflated = 0
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length
        if (inflated > cap) throw this.bomb(name, inflated, e.compressedSize)
        onInflated?.(chunk.length)
        const s = decoder.write(chunk)
        if (s) yield s
      }
      const rest = decoder.end()
      if (rest) yield rest
    } finally {
      stream.destroy()
    }
  }

  close(): void {
    this.zip.close()
  }
}

type Handlers = {
  open?(tag: SaxesTagPlain): void
  close?(name: string): void
  text?(text: string): void
}

/** Feed a part through a SAX parser; `each` runs after every chunk (to hand out what it produced). */
async function* parsePart(zip: Zip, name: string, h: Handlers, onInflated?: (bytes: number) => void): AsyncGenerator<void> {
  const parser = new SaxesParser({ xmlns: false })
  let error: Error | undefined
  parser.on('error', (e) => {
    error ??= e
  })
  if (h.open) parser.on('opentag', h.open)
  if (h.close) parser.on('closetag', (t) => h.close!(t.name))
  if (h.text) {
    parser.on('text', h.text)
    parser.on('cdata', h.text)
  }
  for await (const chunk of zip.text(name, onInflated)) {
    parser.write(chunk)
    if (error) throw new ImportFileError(zip.path, `the workbook part ${name} is not well-formed XML (${error.message}).`, 'Open it in Excel and save it again, or export CSV.')
    yield
  }
  parser.close()
}

async function readPart(zip: Zip, name: string, h: Handlers): Promise<void> {
  for await (const _ of parsePart(zip, name, h)) void _
}

const local = (tag: string) => tag.slice(tag.indexOf(':') + 1)

interface WorkbookInfo {
  sheets: Array<{ name: string; part: string }>
  sharedStrings?: string
  styles?: string
  date1904: boolean
}

function resolveTarget(base: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(posix.dirname(base), target))
}

async function readWorkbook(zip: Zip): Promise<WorkbookInfo> {
  const book = 'xl/workbook.xml'
  if (!zip.has(book)) {
    throw new ImportFileError(zip.path, 'this zip file has no Excel workbook (xl/workbook.xml).', 'Choose an .xlsx workbook, or export the reports as CSV.')
  }
  const sheets: Array<{ name: string; rid: string }> = []
  let date1904 = false
  await readPart(zip, book, {
    open: (t) => {
      const n = local(t.name)
      if (n === 'sheet') sheets.push({ name: String(t.attributes.name ?? ''), rid: String(t.attributes['r:id'] ?? '') })
      else if (n === 'workbookPr') date1904 = t.attributes.date1904 === '1' || t.attributes.date1904 === 'true'
    }
  })
  const rels = new Map<string, { type: string; target: string }>()
  await readPart(zip, 'xl/_rels/workbook.xml.rels', {
    open: (t) => {
      if (local(t.name) === 'Relationship')
        rels.set(String(t.attributes.Id), { type: String(t.attributes.Type ?? ''), target: resolveTarget(book, String(t.attributes.Target ?? '')) })
    }
  })
  const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target
  const fallback = [...zip.entries.keys()].filter((k) => /^xl\/worksheets\/[^/]+\.xml$/.test(k)).sort()
  return {
    sheets: sheets.map((s, i) => ({ name: s.name, part: rels.get(s.rid)?.target ?? fallback[i] ?? '' })),
    sharedStrings: byType('/sharedStrings') ?? (zip.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : undefined),
    styles: byType('/styles') ?? (zip.has('xl/styles.xml') ? 'xl/styles.xml' : undefined),
    date1904
  }
}

/** Every shared string (rich text runs joined, phonetic hints left out, escapes decoded). */
async function readSharedStrings(zip: Zip, part: string | undefined): Promise<string[]> {
  const out: string[] = []
  if (!part) return out
  let inSi = false
  let inT = false
  let inPhonetic = 0
  let cur = ''
  await readPart(zip, part, {
    open: (t) => {
      const n = local(t.name)
      if (n === 'si') {
        inSi = true
        cur = ''
      } else if (n === 't') inT = true
      else if (n === 'rPh') inPhonetic++
    },
    close: (name) => {
      const n = local(name)
      if (n === 'si') {
        out.push(decodeOoxmlEscapes(cur))
        inSi = false
      } else if (n === 't') inT = false
      else if (n === 'rPh') inPhonetic--
    },
    text: (s) => {
      if (inSi && inT && inPhonetic === 0) cur += s
    }
  })
  return out
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57])

/** Is a number format a date/time format? (quoted text, [colour]/[locale] and escapes are ignored) */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase()
  if (bare === 'general' || bare === '') return false
  return /[dmyhs]/.test(bare.replace(/e\+|e-/g, ''))
}

/** Per cell style index: whether it formats numbers as dates. */
async function readDateStyles(zip: Zip, part: string | undefined): Promise<boolean[]> {
  if (!part) return []
  const custom = new Map<number, string>()
  const xfs: number[] = []
  let inCellXfs = false
  await readPart(zip, part, {
    open: (t) => {
      const n = local(t.name)
      if (n === 'numFmt') custom.set(Number(t.attributes.numFmtId), String(t.attributes.formatCode ?? ''))
      else if (n === 'cellXfs') inCellXfs = true
      else if (n === 'xf' && inCellXfs) xfs.push(Number(t.attributes.numFmtId ?? 0))
    },
    close: (name) => {
      if (local(name) === 'cellXfs') inCellXfs = false
    }
  })
  return xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id) as string) : BUILTIN_DATE_FORMATS.has(id)))
}

/** An Excel serial date as ISO 8601: a date alone when it has no time of day. */
export function excelSerialToIso(serial: number, date1904: boolean): string {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
  const d = new Date(epoch + Math.round(serial * 86400) * 1000)
  if (Number.isNaN(d.getTime())) return String(serial)
  const iso = d.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z')
}

/** "BC12" -> 55 (1-based column), 0 when absent. */
function columnOf(ref: string | undefined): number {
  if (!ref) return 0
  let col = 0
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c < 65 || c > 90) break
    col = col * 26 + (c - 64)
  }
  return col
}

interface SheetRow {
  number: number
  cells: string[]
}

interface OpenedWorkbook {
  zip: Zip
  sheet: { name: string; part: string }
  strings: string[]
  dateStyles: boolean[]
  date1904: boolean
}

async function openWorkbook(path: string, sheet: string | undefined): Promise<OpenedWorkbook> {
  let zip: Zip
  try {
    zip = await Zip.open(path)
  } catch (err) {
    throw new ImportFileError(path, `the workbook cannot be read (${(err as Error).message}).`, 'Open it in Excel, save it again as .xlsx, or export CSV.')
  }
  try {
    const wb = await readWorkbook(zip)
    const chosen = sheet === undefined ? wb.sheets[0] : wb.sheets.find((s) => s.name === sheet)
    if (!chosen) {
      if (sheet !== undefined)
        throw new ImportFileError(path, `there is no sheet named "${sheet}" (sheets: ${wb.sheets.map((s) => s.name).join(', ')}).`, 'Choose one of the sheets of this workbook.')
      throw new ImportFileError(path, 'the workbook has no sheets.', 'Choose the workbook with the reports.')
    }
    if (!zip.has(chosen.part)) throw new ImportFileError(path, `the sheet "${chosen.name}" is missing from the file (${chosen.part}).`, 'Open it in Excel and save it again.')
    for (const p of [chosen.part, wb.sharedStrings, wb.styles]) if (p) zip.check(p)
    // Shared strings and styles first, from wherever they are in the zip: the sheet only refers to them.
    const strings = await readSharedStrings(zip, wb.sharedStrings)
    const dateStyles = await readDateStyles(zip, wb.styles)
    return { zip, sheet: chosen, strings, dateStyles, date1904: wb.date1904 }
  } catch (err) {
    zip.close()
    if (err instanceof ImportFileError) throw err
    throw new ImportFileError(path, `the workbook cannot be read (${(err as Error).message}).`, 'Open it in Excel, save it again as .xlsx, or export CSV.')
  }
}

/** The sheet's rows in batches, as they are parsed. */
async function* sheetRows(wb: OpenedWorkbook, onBytes: (n: number) => void): AsyncGenerator<SheetRow[]> {
  let rows: SheetRow[] = []
  let rowNumber = 0
  let cells: string[] = []
  let cell: { col: number; type: string; style: number } | undefined
  let value = ''
  let inline = ''
  let inV = false
  let inIsT = false
  let nextCol = 1
  const finishCell = () => {
    if (!cell) return
    let text: string
    switch (cell.type) {
      case 's':
        text = wb.strings[Number(value)] ?? ''
        break
      case 'inlineStr':
        text = decodeOoxmlEscapes(inline)
        break
      case 'str':
      case 'e':
      case 'd':
        text = decodeOoxmlEscapes(value)
        break
      case 'b':
        text = value === '1' || value === 'true' ? 'true' : value === '' ? '' : 'false'
        break
      default: {
        const n = Number(value)
        text = value !== '' && wb.dateStyles[cell.style] && Number.isFinite(n) ? excelSerialToIso(n, wb.date1904) : value
      }
    }
    while (cells.length < cell.col - 1) cells.push('')
    cells[cell.col - 1] = text
    nextCol = cell.col + 1
    cell = undefined
  }
  const parser = parsePart(wb.zip, wb.sheet.part, {
    open: (t) => {
      const n = local(t.name)
      if (n === 'row') {
        rowNumber = t.attributes.r ? Number(t.attributes.r) : rowNumber + 1
        cells = []
        nextCol = 1
      } else if (n === 'c') {
        cell = { col: columnOf(t.attributes.r as string | undefined) || nextCol, type: String(t.attributes.t ?? 'n'), style: Number(t.attributes.s ?? 0) }
        value = ''
        inline = ''
      } else if (n === 'v') inV = true
      else if (n === 't' && cell) inIsT = true
    },
    close: (name) => {
      const n = local(name)
      if (n === 'v') inV = false
      else if (n === 't') inIsT = false
      else if (n === 'c') finishCell()
      else if (n === 'row') rows.push({ number: rowNumber, cells })
    },
    text: (s) => {
      if (inV) value += s
      else if (inIsT) inline += s
    }
  }, onBytes)
  for await (const _ of parser) {
    void _
    if (rows.length > 0) {
      yield rows
      rows = []
    }
  }
  if (rows.length > 0) yield rows
}

export async function openXlsx(path: string, opts: ReadOptions = {}): Promise<RecordSource> {
  const head = await readHead(path, 8)
  if (head[0] !== 0x50 || head[1] !== 0x4b) {
    throw new ImportFileError(path, 'this is not an .xlsx workbook (not a zip file).', 'Save it from Excel as .xlsx or as CSV.')
  }
  const { size } = await stat(path)
  // Read the first rows once to learn the sheet, the header and the columns.
  const first: SheetRow[] = []
  const wb = await openWorkbook(path, opts.sheet)
  const sheetName = wb.sheet.name
  const sheetBytes = wb.zip.entries.get(wb.sheet.part)?.uncompressedSize ?? 0
  try {
    outer: for await (const rows of sheetRows(wb, () => {})) {
      for (const r of rows) {
        if (r.cells.some((c) => c.trim() !== '')) first.push(r)
        if (first.length >= 2) break outer
      }
    }
  } finally {
    wb.zip.close()
  }
  if (first.length === 0) throw new ImportFileError(path, `the sheet "${sheetName}" has no rows.`, 'Choose the sheet with the reports.')
  const hasHeader = opts.hasHeader ?? looksLikeHeader(first[0].cells, first[1]?.cells)
  const width = Math.max(first[0].cells.length, first[1]?.cells.length ?? 0)
  const fields = hasHeader ? columnNames(first[0].cells) : Array.from({ length: width }, (_, i) => `column${i + 1}`)
  const headerRow = hasHeader ? first[0].number : 0
  let inflated = 0
  return {
    info: {
      path,
      format: 'xlsx',
      notes: [
        `sheet "${sheetName}"`,
        // Shared strings (every distinct cell text) are held in memory while reading.
        ...(size > 20 * 1024 * 1024 ? ['large workbook: its shared strings are held in memory while reading; a CSV export is lighter and faster'] : [])
      ],
      hasHeader,
      fields,
      totalBytes: size
    },
    // Progress: the share of the sheet's XML inflated so far, in file bytes.
    bytesRead: () => (sheetBytes > 0 ? Math.min(size, Math.round((inflated / sheetBytes) * size)) : 0),
    async *batches() {
      inflated = 0
      let record = 0
      let skip = opts.skip ?? 0
      const book = await openWorkbook(path, sheetName)
      try {
        for await (const rows of sheetRows(book, (n) => (inflated += n))) {
          const batch: ReaderItem[] = []
          for (const r of rows) {
            if (r.number <= headerRow) continue
            if (r.cells.every((c) => c.trim() === '')) continue
            record++
            if (skip > 0) {
              skip--
              continue
            }
            const loc = { file: path, line: r.number, record, sheet: sheetName }
            const extra = r.cells.slice(fields.length).filter((c) => c.trim() !== '')
            if (extra.length > 0) {
              batch.push({
                kind: 'error',
                code: 'field_count',
                reason: `row ${r.number} has values beyond the ${fields.length} header columns`,
                loc,
                raw: r.cells.join('\t')
              })
            } else {
              const rec: Record<string, string> = {}
              for (let i = 0; i < fields.length; i++) rec[fields[i]] = r.cells[i] ?? ''
              batch.push({ kind: 'record', fields: rec, loc })
            }
          }
          if (batch.length) yield batch
        }
        inflated = sheetBytes
      } finally {
        book.zip.close()
      }
    }
  }
}
