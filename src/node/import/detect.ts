// Format detection from the name and the first bytes. Files that are no report source at all (images,
// PDFs, archives, binaries) get one clear message instead of a stream of per-record errors.
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import type { ImportFormat } from '../../common/import/mapping'
import { sniffDelimiter } from './csv-parser'
import { createDecoder, readHead, sniffEncoding } from './decode'
import { isNdjson } from './ndjson'
import { ImportFileError } from './types'

export interface Detection {
  format: ImportFormat
  /** Why this format, for the wizard ("content starts with MSH"). */
  reason: string
}

const refuse = (path: string, what: string, hint: string) => new ImportFileError(path, `this is ${what}, not a report file.`, hint)

function magic(path: string, head: Buffer): void {
  const ascii = head.subarray(0, 16).toString('latin1')
  if (ascii.startsWith('%PDF')) throw refuse(path, 'a PDF document', 'Export the reports from the RIS as CSV, Excel, HL7 or text files.')
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    throw refuse(path, 'a legacy Office file (.xls/.doc)', 'Open it in Excel and save it as .xlsx or CSV.')
  if (head[0] === 0x1f && head[1] === 0x8b) throw refuse(path, 'a gzip-compressed file', 'Decompress it first, then import the extracted file.')
  if (ascii.startsWith('SQLite format 3')) throw refuse(path, 'an SQLite database', 'Export the reports table as CSV.')
  if (head.length > 132 && head.subarray(128, 132).toString('latin1') === 'DICM')
    throw refuse(path, 'a DICOM image', 'Import the radiology reports (text), not the images.')
  if (head[0] === 0x89 && ascii.slice(1, 4) === 'PNG') throw refuse(path, 'a PNG image', 'Choose the report file.')
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) throw refuse(path, 'a JPEG image', 'Choose the report file.')
}

/** Detect the format of a file or folder. Throws ImportFileError for what is no report source. */
export async function detectFormat(path: string): Promise<Detection> {
  let st
  try {
    st = await stat(path)
  } catch {
    throw new ImportFileError(path, 'the file does not exist or cannot be read.', 'Check the path and your permissions.')
  }
  if (st.isDirectory()) return { format: 'txt-dir', reason: 'a folder: one .txt file per report' }
  if (st.size === 0) throw new ImportFileError(path, 'the file is empty.', 'Choose a file with reports.')
  const head = await readHead(path, 65536)
  const ext = extname(path).toLowerCase()
  magic(path, head)
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    const names = head.toString('latin1')
    if (ext === '.xlsx' || ext === '.xlsm' || names.includes('xl/')) return { format: 'xlsx', reason: 'an Excel workbook' }
    if (names.includes('word/')) throw refuse(path, 'a Word document', 'Save the reports as text or export them as CSV.')
    throw refuse(path, 'a zip archive', 'Unpack it and import the extracted files or folder.')
  }
  const guess = sniffEncoding(head, head.length >= st.size)
  const text = createDecoder(guess.encoding).decode(head.subarray(guess.bom))
  // NUL or many control characters in supposedly text data: a binary file.
  let control = 0
  for (let i = 0; i < Math.min(text.length, 8192); i++) {
    const c = text.charCodeAt(i)
    if (c === 0) throw refuse(path, 'a binary file', 'Choose a CSV, Excel, JSON, HL7, FHIR or text file of reports.')
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 28 && c !== 12) control++
  }
  if (control > Math.min(text.length, 8192) * 0.05)
    throw refuse(path, 'a binary file', 'Choose a CSV, Excel, JSON, HL7, FHIR or text file of reports.')

  const start = text.replace(/^[\s\x0b\ufeff]+/, '')
  if (/^(MSH|FHS|BHS)./.test(start)) return { format: 'hl7', reason: 'content starts with an HL7 MSH segment' }
  if (start.startsWith('{') || start.startsWith('[')) {
    const fhir = /"resourceType"\s*:\s*"(Bundle|DiagnosticReport)"/.test(start.slice(0, 65536))
    if (fhir) return { format: 'fhir', reason: isNdjson(start) ? 'FHIR NDJSON resources' : 'a FHIR resource or Bundle' }
    if (start.startsWith('{') && (ext === '.jsonl' || ext === '.ndjson' || isJsonLines(start)))
      return { format: 'jsonl', reason: 'one JSON object per line' }
    return { format: 'json', reason: 'a JSON document' }
  }
  if (ext === '.txt' || ext === '.text') return { format: 'txt-dir', reason: 'a single text report' }
  if (ext === '.tsv' || ext === '.tab') return { format: 'tsv', reason: 'tab-separated values' }
  const d = sniffDelimiter(text, head.length >= st.size)
  if (d === '\t') return { format: 'tsv', reason: 'tab-separated values' }
  if (d) return { format: 'csv', reason: `delimited by "${d}"` }
  if (ext === '.csv') return { format: 'csv', reason: 'the .csv extension (a single column)' }
  throw new ImportFileError(
    path,
    'the format is not recognised (not CSV/TSV, Excel, JSON, HL7 v2, FHIR or text).',
    'Choose the format explicitly if you know it, or export the reports as CSV.'
  )
}

/** First line a complete JSON value and the next non-blank line starting another. */
function isJsonLines(text: string): boolean {
  const lines = text.split('\n', 3)
  if (lines.length < 2) return false
  try {
    JSON.parse(lines[0])
    return lines[1].trimStart().startsWith('{')
  } catch {
    return false
  }
}
