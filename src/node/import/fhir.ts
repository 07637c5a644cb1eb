// FHIR R4 DiagnosticReport reader: a Bundle (JSON, entries streamed), NDJSON (one resource per line) or a
// single resource. Text from presentedForm text/plain (base64), else conclusion, else the narrative.
import { isUtf8 } from 'node:buffer'
import type { RecordFields } from '../../common/import/mapping'
import { convert as convertHtml } from 'html-to-text'
import { z } from 'zod'
import { binaryReason, decodeWindows1252 } from './decode'
import { isNdjson } from './ndjson'
import { openTextFile } from './text-file'
import { MAX_RECORD_DEPTH, nestedDeeperThan, openJsonLike, tooDeep, type ValueConverter } from './json'
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

// The parts of a DiagnosticReport that are read, with their FHIR types: a resource with other types
// (presentedForm an object, data a number, identifier a string) is one rejected record with the path.
const coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() }).loose()
const concept = z.object({ text: z.string().optional(), coding: z.array(coding).optional() }).loose()
const attachment = z
  .object({ contentType: z.string().optional(), data: z.string().optional(), title: z.string().optional() })
  .loose()
const diagnosticReportSchema = z
  .object({
    resourceType: z.literal('DiagnosticReport'),
    id: z.string().optional(),
    identifier: z
      .array(z.object({ value: z.string().optional(), type: concept.optional(), system: z.string().optional() }).loose())
      .optional(),
    status: z.string().optional(),
    category: z.array(concept).optional(),
    code: concept.optional(),
    subject: z.object({ reference: z.string().optional(), identifier: z.object({ value: z.string().optional() }).loose().optional() }).loose().optional(),
    effectiveDateTime: z.string().optional(),
    effectivePeriod: z.object({ start: z.string().optional() }).loose().optional(),
    issued: z.string().optional(),
    conclusion: z.string().optional(),
    presentedForm: z.array(attachment).optional(),
    text: z.object({ div: z.string().optional() }).loose().optional()
  })
  .loose()
type DiagnosticReport = z.infer<typeof diagnosticReportSchema>
type Attachment = z.infer<typeof attachment>

const conceptText = (c?: z.infer<typeof concept>) =>
  c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? ''

/** A presentedForm that cannot be taken as report text: the record is rejected with this reason. */
export class UnreadableForm extends Error {}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Strict base64 (standard or URL-safe alphabet; line breaks allowed): bytes, or an UnreadableForm. */
export function decodeBase64Strict(data: string, where: string): Buffer {
  const compact = data.replace(/[\r\n\t ]+/g, '')
  if (compact.length % 4 === 1 || !(BASE64.test(compact) || BASE64URL.test(compact))) {
    throw new UnreadableForm(`${where}.data is not valid base64; the attachment cannot be decoded`)
  }
  return Buffer.from(compact, BASE64.test(compact) ? 'base64' : 'base64url')
}

function decodeTextBytes(bytes: Buffer, contentType: string, where: string): string {
  const binary = binaryReason(bytes)
  if (binary) throw new UnreadableForm(`${where} (${contentType || 'no contentType'}) holds binary data, not text (${binary})`)
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase()
  if (charset === 'windows-1252' || charset === 'cp1252' || charset === 'iso-8859-1' || charset === 'latin1')
    return decodeWindows1252(bytes)
  if (!isUtf8(bytes)) return decodeWindows1252(bytes)
  const s = bytes.toString('utf8')
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s
}

/** HTML -> text with html-to-text: blocks and rows become lines, cells are separated, scripts and styles dropped. */
export function htmlToText(html: string): string {
  return convertHtml(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } },
      { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, colSpacing: 3, maxColumnWidth: 10000 } }
    ]
  })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

const isPlain = (f: Attachment) => /^text\/plain\b/i.test(f.contentType ?? '')
const isHtml = (f: Attachment) => /^(text\/html|application\/xhtml\+xml)\b/i.test(f.contentType ?? '')

/** The fields of one DiagnosticReport; `text` empty when it has none (the mapping rejects it then). */
export function diagnosticReportFields(r: DiagnosticReport): RecordFields {
  let text = ''
  let source = ''
  const forms = r.presentedForm ?? []
  const withData = forms.map((f, i) => ({ f, where: `presentedForm[${i}]` })).filter((x) => x.f.data !== undefined && x.f.data !== '')
  const plain = withData.filter((x) => isPlain(x.f))
  const html = withData.filter((x) => isHtml(x.f))
  if (plain.length > 0) {
    text = plain.map((x) => decodeTextBytes(decodeBase64Strict(x.f.data as string, x.where), x.f.contentType ?? '', x.where)).join('\n\n')
    source = 'presentedForm'
  } else if (html.length > 0) {
    text = html
      .map((x) => htmlToText(decodeTextBytes(decodeBase64Strict(x.f.data as string, x.where), x.f.contentType ?? '', x.where)))
      .join('\n\n')
    source = 'presentedForm text/html (converted from HTML)'
  } else if (r.conclusion && r.conclusion.trim() !== '') {
    text = r.conclusion
    source = 'conclusion'
  } else if (r.text?.div) {
    text = narrativeToText(r.text.div)
    source = 'narrative'
  } else if (withData.length > 0) {
    // Only a PDF, an image or bytes without a contentType: no text to label.
    const types = [...new Set(withData.map((x) => x.f.contentType || 'no contentType'))].join(', ')
    throw new UnreadableForm(
      `the report's only content is an attachment of type ${types}, not text; RadLabel reads text/plain or text/html (export the text from the RIS)`
    )
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
    if (nestedDeeperThan(v, MAX_RECORD_DEPTH)) return tooDeep(loc, raw)
    const parsed = diagnosticReportSchema.safeParse(v)
    if (!parsed.success) {
      return {
        kind: 'error',
        code: 'malformed',
        reason: `record ${loc.record}${loc.line ? ` (line ${loc.line})` : ''}: DiagnosticReport${(v as { id?: unknown }).id ? ` "${String((v as { id?: unknown }).id)}"` : ''} has fields of the wrong FHIR type: ${fhirTypeIssues(parsed.error)}`,
        loc,
        raw: clipRaw(raw)
      }
    }
    try {
      return { kind: 'record', fields: diagnosticReportFields(parsed.data), loc }
    } catch (err) {
      if (!(err instanceof UnreadableForm)) throw err
      return { kind: 'error', code: 'not_a_report', reason: `record ${loc.record}${loc.line ? ` (line ${loc.line})` : ''}: ${err.message}`, loc, raw: clipRaw(raw) }
    }
  }
}

export { isNdjson }

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

/** Zod issues as FHIR element paths, e.g. "presentedForm: expected array, received object" — an
 *  integration engineer needs the element, not a form's wording. */
function fhirTypeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '')
      return `${path || '(resource)'}: ${i.message.replace(/^Invalid input: /, '')}`
    })
    .join('; ')
}
