// FHIR R4 DiagnosticReport reader: a Bundle (JSON, entries streamed), NDJSON (one resource per line) or a
// single resource. Text from presentedForm text/plain (base64), else conclusion, else the narrative.
import { isUtf8 } from 'node:buffer'
import type { RecordFields } from '../../common/import/mapping'
import { decodeWindows1252 } from './decode'
import { openTextFile } from './text-file'
import { openJsonLike, type ValueConverter } from './json'
import { clipRaw, type ReadOptions, type RecordSource } from './types'

export const FHIR_FIELDS = [
  'id',
  'text',
  'text_source',
  'accession',
  'patient_id',
  'study_date',
  'issued',
  'status',
  'exam',
  'category',
  'modality'
]

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/** XHTML narrative -> plain text: block ends and <br> become line breaks, entities decoded. */
export function narrativeToText(div: string): string {
  return div
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m
      }
      return ENTITIES[e.toLowerCase()] ?? m
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

interface Coding {
  system?: string
  code?: string
  display?: string
}
interface CodeableConcept {
  text?: string
  coding?: Coding[]
}
interface Attachment {
  contentType?: string
  data?: string
  title?: string
}
interface DiagnosticReport {
  resourceType: string
  id?: string
  identifier?: Array<{ value?: string; type?: CodeableConcept; system?: string }>
  status?: string
  category?: CodeableConcept[]
  code?: CodeableConcept
  subject?: { reference?: string; identifier?: { value?: string } }
  effectiveDateTime?: string
  effectivePeriod?: { start?: string }
  issued?: string
  conclusion?: string
  presentedForm?: Attachment[]
  text?: { div?: string }
  modality?: unknown
}

const conceptText = (c?: CodeableConcept) => c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? ''

function decodeBase64Text(data: string, contentType: string): string {
  const bytes = Buffer.from(data, 'base64')
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase()
  if (charset === 'windows-1252' || charset === 'cp1252' || charset === 'iso-8859-1' || charset === 'latin1')
    return decodeWindows1252(bytes)
  if (!isUtf8(bytes)) return decodeWindows1252(bytes)
  const s = bytes.toString('utf8')
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s
}

/** The fields of one DiagnosticReport; `text` empty when it has none (the mapping rejects it then). */
export function diagnosticReportFields(r: DiagnosticReport): RecordFields {
  let text = ''
  let source = ''
  const forms = (r.presentedForm ?? []).filter((f) => /^text\/plain\b/i.test(f.contentType ?? '') && f.data)
  if (forms.length > 0) {
    text = forms.map((f) => decodeBase64Text(f.data as string, f.contentType ?? '')).join('\n\n')
    source = 'presentedForm'
  } else if (r.conclusion && r.conclusion.trim() !== '') {
    text = r.conclusion
    source = 'conclusion'
  } else if (r.text?.div) {
    text = narrativeToText(r.text.div)
    source = 'narrative'
  }
  const acsn =
    r.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'ACSN'))?.value ?? r.identifier?.[0]?.value ?? ''
  const ref = r.subject?.reference ?? ''
  const patient = ref.startsWith('Patient/') ? ref.slice(8) : ref || (r.subject?.identifier?.value ?? '')
  const categories = (r.category ?? []).flatMap((c) => c.coding?.map((x) => x.code ?? '') ?? [])
  const modality = (r.category ?? [])
    .flatMap((c) => c.coding ?? [])
    .find((x) => x.system?.includes('DCM') || x.system?.includes('dicom'))?.code
  return {
    id: r.id ?? '',
    text,
    text_source: source,
    accession: acsn,
    patient_id: patient,
    study_date: r.effectiveDateTime ?? r.effectivePeriod?.start ?? '',
    issued: r.issued ?? '',
    status: r.status ?? '',
    exam: conceptText(r.code),
    category: categories.filter(Boolean).join(' '),
    modality: modality ?? ''
  }
}

function fhirConverter(counters: { skipped: number }): ValueConverter {
  return (value, loc, raw) => {
    let v = value as { resourceType?: string; resource?: { resourceType?: string } } | null
    if (v && typeof v === 'object' && 'resource' in v && v.resource) v = v.resource // a Bundle entry
    if (!v || typeof v !== 'object' || typeof v.resourceType !== 'string') {
      return { kind: 'error', code: 'malformed', reason: `record ${loc.record} is not a FHIR resource (no resourceType)`, loc, raw: clipRaw(raw) }
    }
    if (v.resourceType === 'Bundle') {
      return {
        kind: 'error',
        code: 'malformed',
        reason: 'a nested Bundle is not read; import it as its own file',
        loc,
        raw: clipRaw(raw)
      }
    }
    if (v.resourceType !== 'DiagnosticReport') {
      counters.skipped++
      return null
    }
    return { kind: 'record', fields: diagnosticReportFields(v as DiagnosticReport), loc }
  }
}

/** NDJSON when the first line is a complete resource that is not a Bundle (a one-line Bundle is JSON). */
export function isNdjson(head: string): boolean {
  const first = head.trimStart().split('\n', 1)[0].trim()
  try {
    const v = JSON.parse(first) as { resourceType?: string }
    return typeof v === 'object' && v !== null && v.resourceType !== 'Bundle'
  } catch {
    return false
  }
}

export async function openFhir(path: string, opts: ReadOptions = {}, lines?: boolean): Promise<RecordSource> {
  const counters = { skipped: 0 }
  const ndjson = lines ?? isNdjson((await openTextFile(path, opts.encoding)).headText)
  const source = await openJsonLike(path, opts, {
    format: 'fhir',
    mode: ndjson ? 'lines' : 'array',
    convert: fhirConverter(counters),
    arrayKeys: ['entry']
  })
  source.info.fields = FHIR_FIELDS
  const batches = source.batches
  return {
    ...source,
    async *batches() {
      counters.skipped = 0 // the head sample read at open counted too
      yield* batches()
      if (counters.skipped > 0)
        source.info.notes.push(
          `${counters.skipped} resource${counters.skipped === 1 ? '' : 's'} that are not DiagnosticReport (e.g. Patient) skipped`
        )
    }
  }
}
