// One entry point for every format: detect (unless forced), open the right reader, and a preview of the
// first records with a suggested mapping for the wizard and the CLI.
import { stat } from 'node:fs/promises'
import { assertSafePath } from '../security/paths'
import {
  applyMapping,
  suggestMapping,
  validateMapping,
  type FieldMapping,
  type ImportFormat
} from '../../common/import/mapping'
import { openCsv } from './csv'
import { detectFormat } from './detect'
import { openHl7 } from './hl7'
import { openJson, openJsonl } from './json'
import { openTxtDir } from './txt-dir'
import type { Preview } from '../../common/import/dto'
import { ImportFileError, type ReaderItem, type ReadOptions, type RecordSource } from './types'

/** Mapping that fits the fixed fields of HL7, FHIR and text-file records. */
export function defaultMappingFor(format: ImportFormat): FieldMapping | undefined {
  switch (format) {
    case 'hl7':
      return { idField: 'id', textField: 'text', meta: { studyDate: 'study_date', modality: 'modality', patientId: 'patient_id', accession: 'accession' } }
    case 'fhir':
      return { idField: 'id', textField: 'text', meta: { studyDate: 'study_date', modality: 'modality', patientId: 'patient_id', accession: 'accession' } }
    case 'txt-dir':
    case 'mimic':
      return { idField: 'id', textField: 'text', meta: { patientId: 'patient_id' } }
    default:
      return undefined
  }
}

/**
 * Refuse what is neither a regular file nor a folder (a FIFO, a device, a socket) before any format
 * opens it: reading one blocks forever or never ends. Holds for every format, forced or detected.
 */
export async function assertImportablePath(path: string): Promise<void> {
  // The shared guard (also applied to IPC inputs): no /proc, /sys, /dev, FIFOs, sockets or devices.
  assertSafePath(path, 'the file to import')
  let st
  try {
    st = await stat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (err as Error).message})`
    throw new ImportFileError(path, `the file ${why}.`, 'Check the path and your permissions.')
  }
  if (st.isFile() || st.isDirectory()) return
  const what = st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file'
  throw new ImportFileError(path, `this is ${what}, not a file or folder of reports; it is not read.`, 'Choose a regular file or a folder.')
}

export async function openSource(path: string, opts: ReadOptions = {}): Promise<RecordSource & { detection?: string }> {
  await assertImportablePath(path)
  let format = opts.format && opts.format !== 'auto' ? opts.format : undefined
  let detection: string | undefined
  if (!format) {
    const d = await detectFormat(path)
    format = d.format
    detection = d.reason
  }
  let source: RecordSource
  switch (format) {
    case 'csv':
    case 'tsv':
      source = await openCsv(path, opts, format)
      break
    case 'xlsx':
      // Loaded on demand: its zip and XML libraries cost start-up time and memory to every other import.
      source = await (await import('./xlsx')).openXlsx(path, opts)
      break
    case 'json':
      source = await openJson(path, opts)
      break
    case 'jsonl':
      source = await openJsonl(path, opts)
      break
    case 'hl7':
      source = await openHl7(path, opts)
      break
    case 'fhir':
      // Loaded on demand (html-to-text, zod schemas), like the Excel reader.
      source = await (await import('./fhir')).openFhir(path, opts)
      break
    case 'txt-dir':
      // Detected: the MIMIC layout is recognised inside; chosen explicitly: plain files, ids from paths.
      source = await openTxtDir(path, opts, opts.format === 'txt-dir' ? false : undefined)
      break
    case 'mimic':
      source = await openTxtDir(path, opts, true)
      break
    default:
      throw new ImportFileError(path, `unknown format "${String(format)}".`)
  }
  if (detection) source.info.notes.unshift(`detected ${source.info.format}: ${detection}`)
  return Object.assign(source, { detection })
}

/** The first `limit` items of a source, mapped with the given mapping (or the suggested one). */
export async function previewSource(
  path: string,
  opts: ReadOptions & { mapping?: FieldMapping; limit?: number } = {}
): Promise<Preview> {
  const source = await openSource(path, opts)
  const limit = opts.limit ?? 20
  const items: ReaderItem[] = []
  outer: for await (const batch of source.batches()) {
    for (const it of batch) {
      items.push(it)
      if (items.length >= limit) break outer
    }
  }
  const samples = items.filter((i) => i.kind === 'record').map((i) => (i as Extract<ReaderItem, { kind: 'record' }>).fields)
  const suggested = defaultMappingFor(source.info.format) ?? suggestMapping(source.info.fields, samples)
  const mapping = opts.mapping ?? suggested
  const problems = validateMapping(mapping, source.info.fields)
  return {
    info: source.info,
    suggested,
    mappingProblems: problems,
    rows: items.map((item) => ({
      item,
      mapped: item.kind === 'record' && problems.length === 0 ? applyMapping(item.fields, mapping) : undefined
    }))
  }
}
