// Excel .xlsx reader on exceljs's streaming WorkbookReader: one sheet (the first unless named), rows as
// records, the first row as header when it looks like one. Memory: exceljs caches shared strings only.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { columnNames } from './csv'
import { looksLikeHeader } from './csv-parser'
import { readHead } from './decode'
import { ImportFileError, type ReaderItem, type ReadOptions, type RecordSource } from './types'

/** Cell value as the text a user sees (rich text joined, formulas by their result, dates as ISO). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof Date) {
    const iso = v.toISOString()
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z')
  }
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string; formula?: string }
    if (o.richText) return o.richText.map((r) => r.text).join('')
    if ('result' in o || o.formula) return cellText(o.result)
    if (o.text !== undefined) return cellText(o.text)
    if (o.error) return o.error
  }
  return String(v)
}

function rowTexts(values: unknown): string[] {
  const arr = Array.isArray(values) ? values : []
  const out: string[] = []
  for (let i = 1; i < arr.length; i++) out.push(cellText(arr[i]))
  return out
}

interface SheetRow {
  number: number
  cells: string[]
}

async function* sheetRows(
  path: string,
  sheet: string | undefined,
  onBytes: (n: number) => void
): AsyncGenerator<{ sheet: string } | SheetRow> {
  // exceljs takes over a second to load: only Excel imports pay for it.
  const { default: ExcelJS } = await import('exceljs')
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 })
  stream.on('data', (c) => onBytes(c.length))
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore'
  })
  try {
    let found = false
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name
      if (sheet !== undefined && name !== sheet) continue
      found = true
      yield { sheet: name }
      for await (const row of ws) yield { number: row.number, cells: rowTexts(row.values) }
      break
    }
    if (!found && sheet !== undefined) throw new ImportFileError(path, `there is no sheet named "${sheet}".`, 'Choose one of the sheets of this workbook.')
  } finally {
    stream.destroy()
  }
}

export async function openXlsx(path: string, opts: ReadOptions = {}): Promise<RecordSource> {
  const head = await readHead(path, 8)
  if (head[0] !== 0x50 || head[1] !== 0x4b) {
    throw new ImportFileError(path, 'this is not an .xlsx workbook (not a zip file).', 'Save it from Excel as .xlsx or as CSV.')
  }
  const { size } = await stat(path)
  // Read the first rows once to learn the sheet, the header and the columns.
  const first: SheetRow[] = []
  let sheetName = ''
  try {
    for await (const r of sheetRows(path, opts.sheet, () => {})) {
      if ('sheet' in r) sheetName = r.sheet
      else if (r.cells.some((c) => c.trim() !== '')) first.push(r)
      if (first.length >= 2) break
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err
    throw new ImportFileError(path, `the workbook cannot be read (${(err as Error).message}).`, 'Open it in Excel, save it again as .xlsx, or export CSV.')
  }
  if (first.length === 0) throw new ImportFileError(path, `the sheet "${sheetName}" has no rows.`, 'Choose the sheet with the reports.')
  const hasHeader = opts.hasHeader ?? looksLikeHeader(first[0].cells, first[1]?.cells)
  const width = Math.max(first[0].cells.length, first[1]?.cells.length ?? 0)
  const headerCells = hasHeader ? first[0].cells : []
  const fields = hasHeader
    ? columnNames(headerCells)
    : Array.from({ length: width }, (_, i) => `column${i + 1}`)
  const headerRow = hasHeader ? first[0].number : 0
  let read = 0
  return {
    info: {
      path,
      format: 'xlsx',
      notes: [
        `sheet "${sheetName}"`,
        // exceljs keeps a workbook's shared strings (every distinct cell text) in memory while reading.
        ...(size > 20 * 1024 * 1024 ? ['large workbook: all its text is held in memory while reading; a CSV export is lighter and faster'] : [])
      ],
      hasHeader,
      fields,
      totalBytes: size
    },
    bytesRead: () => read,
    async *batches() {
      read = 0
      let record = 0
      let skip = opts.skip ?? 0
      let batch: ReaderItem[] = []
      for await (const r of sheetRows(path, sheetName, (n) => (read += n))) {
        if ('sheet' in r || r.number <= headerRow) continue
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
        if (batch.length >= 500) {
          yield batch
          batch = []
        }
      }
      if (batch.length) yield batch
    }
  }
}
