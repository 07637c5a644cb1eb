// HL7 v2 result messages (ORU^R01, also MDM document messages): one report per OBR group, its text from
// the OBX TX/FT segments in order (ST, else NTE comments, when a group has no TX/FT), escapes decoded, ids and dates from
// MSH/PID/OBR. Many messages per file; segments end in \r, \n or \r\n; MLLP framing bytes are tolerated.
import { isUtf8 } from 'node:buffer'
import type { RecordFields } from '../../common/import/mapping'
import { normalisePhrase, SECTION_HEADERS, splitSections } from '../../common/text/sections'
import type { SectionName } from '../../common/types'
import { decodeWindows1252, REPLACEMENT_CHAR } from './decode'
import { openTextFile } from './text-file'
import { ImportFileError, clipRaw, type ReaderItem, type ReadOptions, type RecordSource } from './types'

export const HL7_FIELDS = [
  'id',
  'text',
  'accession',
  'placer_order',
  'filler_order',
  'patient_id',
  'study_date',
  'exam',
  'modality',
  'result_status',
  'message_id',
  'message_type',
  'message_datetime',
  'sending_facility',
  'message_number'
]

export interface Delimiters {
  field: string
  component: string
  repetition: string
  escape: string
  subcomponent: string
}

export const DEFAULT_DELIMITERS: Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' }

function hexText(hex: string): string {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return ''
  const bytes = Buffer.from(hex, 'hex')
  return isUtf8(bytes) ? bytes.toString('utf8') : decodeWindows1252(bytes)
}

/** Decode HL7 escape sequences (\F\ \S\ \T\ \R\ \E\ \Xhh\ \.br\ \.sp n\ ...). Unknown ones stay as written. */
export function decodeEscapes(value: string, d: Delimiters = DEFAULT_DELIMITERS): string {
  const esc = d.escape
  if (!esc || !value.includes(esc)) return value
  let out = ''
  let i = 0
  for (;;) {
    const a = value.indexOf(esc, i)
    if (a === -1) break
    const b = value.indexOf(esc, a + 1)
    if (b === -1) break
    out += value.slice(i, a)
    const seq = value.slice(a + 1, b)
    const head = seq[0]
    let rep: string | undefined
    if (seq === 'F') rep = d.field
    else if (seq === 'S') rep = d.component
    else if (seq === 'T') rep = d.subcomponent
    else if (seq === 'R') rep = d.repetition
    else if (seq === 'E') rep = d.escape
    else if (seq === 'H' || seq === 'N') rep = '' // highlighting on/off
    else if (head === 'X' && /^X[0-9A-Fa-f]*$/.test(seq)) rep = hexText(seq.slice(1))
    else if (head === 'Z' || ((head === 'C' || head === 'M') && /^[CM][0-9A-Fa-f]+$/.test(seq))) rep = ''
    else if (head === '.') {
      const m = /^\.(br|sp|in|ti|ce|fi|nf|sk)(?:\s*([+-]?\d+))?$/i.exec(seq)
      if (m) {
        const cmd = m[1].toLowerCase()
        const n = m[2] === undefined ? 1 : Math.max(0, Math.min(100, parseInt(m[2], 10)))
        rep = cmd === 'br' ? '\n' : cmd === 'sp' ? '\n'.repeat(n) : cmd === 'sk' ? ' '.repeat(n) : cmd === 'ce' ? '\n' : ''
      }
    }
    if (rep === undefined) {
      // Not an escape we know: keep the text and continue right after the first escape char.
      out += esc
      i = a + 1
      continue
    }
    out += rep
    i = b + 1
  }
  return out + value.slice(i)
}

/** HL7 TS (YYYYMMDD[HHMM[SS[.S+]]][+ZZZZ]) -> ISO 8601 prefix; other input returned as written. */
export function hl7DateToIso(ts: string): string {
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?)?([+-]\d{4})?$/.exec(ts.trim())
  if (!m) return ts.trim()
  const [, y, mo, d, h, mi, s, tz] = m
  let out = y
  if (mo) out += '-' + mo
  if (d) out += '-' + d
  if (h) out += `T${h}:${mi ?? '00'}${s ? ':' + s : ''}`
  if (tz && h) out += `${tz.slice(0, 3)}:${tz.slice(3)}`
  return out
}

type ObxSection = Exclude<SectionName, 'whole' | 'other'> | 'addendum' | 'recommendation'

interface ObxText {
  lines: string[]
  section: ObxSection | undefined
  subId: string
}

/** Section suffixes of OBX-3 identifiers (`&GDT`, `&IMP` style) and the LOINC codes of report sections. */
const OBX_CODES: Record<string, ObxSection> = {
  GDT: 'findings',
  FIND: 'findings',
  FND: 'findings',
  IMP: 'impression',
  ADT: 'addendum',
  ADD: 'addendum',
  ADN: 'addendum',
  TCM: 'technique',
  TECH: 'technique',
  IND: 'indication',
  HX: 'indication',
  HIS: 'indication',
  CMP: 'comparison',
  COMP: 'comparison',
  REC: 'recommendation',
  '18782-3': 'findings',
  '59776-5': 'findings',
  '19005-8': 'impression',
  '18834-2': 'comparison',
  '55752-0': 'indication',
  '18785-6': 'indication',
  '55111-9': 'technique',
  '18783-1': 'recommendation'
}

const OBX_HEADERS: Record<ObxSection, string> = {
  indication: 'INDICATION:',
  technique: 'TECHNIQUE:',
  comparison: 'COMPARISON:',
  findings: 'FINDINGS:',
  impression: 'IMPRESSION:',
  addendum: 'ADDENDUM:',
  recommendation: 'RECOMMENDATION:'
}

/** The section an OBX-3 observation identifier marks: a code/suffix we know, or its text naming a section. */
export function obxSection(obx3: string, d: Delimiters = DEFAULT_DELIMITERS): ObxSection | undefined {
  const comps = obx3.split(d.component)
  for (const c of [comps[0] ?? '', comps[3] ?? '']) {
    for (const part of c.split(d.subcomponent)) {
      const hit = OBX_CODES[part.trim().toUpperCase()]
      if (hit) return hit
    }
  }
  for (const c of [comps[1] ?? '', comps[4] ?? '']) {
    const text = decodeEscapes(c, d).trim()
    if (!text) continue
    const phrase = normalisePhrase(text.replace(/[:\s-]+$/, ''))
    if (phrase === 'addendum') return 'addendum'
    if (phrase === 'recommendation' || phrase === 'recommendations') return 'recommendation'
    for (const [name, phrases] of Object.entries(SECTION_HEADERS)) {
      if (name !== 'other' && phrases.includes(phrase)) return name as ObxSection
    }
  }
  return undefined
}

/**
 * The report text of a group's TX/FT OBX segments. With one section mark (or none) and one sub-id: the lines as sent.
 * Otherwise consecutive OBX with the same section and sub-id form a block; blocks are separated by a
 * blank line, and a block whose OBX-3 marks a section starts with that section's header (unless its
 * text already does), so the stored text splits into the sections the sender meant.
 */
export function obxText(obx: ObxText[]): string {
  // One section (or none) and one sub-id: the text as sent, as before (its content hash stays the same).
  const sections = new Set(obx.map((o) => o.section))
  const subIds = new Set(obx.map((o) => o.subId))
  if (sections.size <= 1 && subIds.size <= 1) return obx.flatMap((o) => o.lines).join('\n')
  const blocks: Array<{ section: ObxSection | undefined; subId: string; lines: string[] }> = []
  for (const o of obx) {
    const last = blocks[blocks.length - 1]
    if (last && last.section === o.section && last.subId === o.subId) last.lines.push(...o.lines)
    else blocks.push({ section: o.section, subId: o.subId, lines: [...o.lines] })
  }
  return blocks
    .map((b) => {
      const body = b.lines.join('\n').replace(/^\n+|\n+$/g, '')
      if (!b.section) return body
      const header = OBX_HEADERS[b.section]
      const already = splitSections(body)[0]
      const startsWithHeader = already && already.name !== 'whole' && already.headerStart !== undefined && body.slice(0, already.headerStart).trim() === ''
      return startsWithHeader ? body : `${header}\n${body}`
    })
    .filter((b) => b.trim() !== '')
    .join('\n\n')
}

export interface Segment {
  name: string
  /** fields[n] is SEG-n (for MSH too: fields[1] is the field separator, fields[2] the encoding characters). */
  fields: string[]
  line: number
}

export interface Hl7Line {
  text: string
  line: number
}

export type MessageResult = { records: Array<{ fields: RecordFields; line: number }>; error?: undefined } | { records?: undefined; error: string; line: number }

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/

/** Parse one message (lines from its MSH up to the next MSH). */
export function parseMessage(lines: Hl7Line[], messageNumber = 1): MessageResult {
  const mshText = lines[0]?.text ?? ''
  if (!mshText.startsWith('MSH') || mshText.length < 8) {
    return { error: 'a message must start with an MSH segment', line: lines[0]?.line ?? 0 }
  }
  const fs = mshText[3]
  const encEnd = mshText.indexOf(fs, 4)
  const enc = mshText.slice(4, encEnd === -1 ? undefined : encEnd)
  const d: Delimiters = {
    field: fs,
    component: enc[0] ?? '^',
    repetition: enc[1] ?? '~',
    escape: enc[2] ?? '\\',
    subcomponent: enc[3] ?? '&'
  }
  const segments: Segment[] = []
  for (const l of lines) {
    if (l.text.trim() === '') continue
    const name = l.text.slice(0, 3)
    if (!SEGMENT_NAME.test(name) || (l.text.length > 3 && l.text[3] !== fs)) {
      return {
        error:
          `line ${l.line} is not an HL7 segment ("${l.text.slice(0, 40)}"); segments start with a 3-character name ` +
          `and "${fs}". If report text contains raw line breaks the sender must escape them as \\.br\\`,
        line: l.line
      }
    }
    const parts = l.text.split(fs)
    // For MSH, MSH-1 is the separator itself: shift so fields[n] is MSH-n.
    const fields = name === 'MSH' ? ['MSH', fs, ...parts.slice(1)] : parts
    segments.push({ name, fields, line: l.line })
  }
  const msh = segments[0]
  const comp = (v: string | undefined, n = 1) => decodeEscapes((v ?? '').split(d.repetition)[0].split(d.component)[n - 1] ?? '', d)
  const type = (msh.fields[9] ?? '').split(d.component).slice(0, 2).join('^')
  if (!/^(ORU|MDM)\b/.test(type)) {
    return {
      error: `message type ${type || '(empty)'} is not a result message (ORU^R01 or MDM); it carries no report`,
      line: msh.line
    }
  }
  const base: RecordFields = {
    message_id: comp(msh.fields[10]),
    message_type: type,
    message_datetime: hl7DateToIso(comp(msh.fields[7])),
    sending_facility: comp(msh.fields[4]),
    message_number: String(messageNumber),
    patient_id: ''
  }
  const pid = segments.find((s) => s.name === 'PID')
  if (pid) base.patient_id = comp(pid.fields[3]) || comp(pid.fields[2])

  interface Group {
    obr?: Segment
    line: number
    text: string[]
    /** Each TX/FT OBX: its lines, the section its OBX-3 marks (if any) and its OBX-4 sub-id. */
    obx: ObxText[]
    st: string[]
    /** NTE comments: the text of senders that put the report there instead of in OBX. */
    nte: string[]
  }
  const groups: Group[] = []
  let current: Group | undefined
  for (const seg of segments) {
    if (seg.name === 'OBR' || seg.name === 'TXA') {
      current = { obr: seg.name === 'OBR' ? seg : undefined, line: seg.line, text: [], obx: [], st: [], nte: [] }
      groups.push(current)
    } else if (seg.name === 'OBX') {
      if (!current) {
        current = { line: seg.line, text: [], obx: [], st: [], nte: [] }
        groups.push(current)
      }
      const vt = (seg.fields[2] ?? '').toUpperCase()
      const value = seg.fields[5] ?? ''
      const lines = value.split(d.repetition).map((v) => decodeEscapes(v, d))
      if (vt === 'TX' || vt === 'FT') {
        current.text.push(...lines)
        current.obx.push({ lines, section: obxSection(seg.fields[3] ?? '', d), subId: (seg.fields[4] ?? '').trim() })
      }
      else if (vt === 'ST') current.st.push(...lines)
    } else if (seg.name === 'NTE' && current) {
      current.nte.push(...(seg.fields[3] ?? '').split(d.repetition).map((v) => decodeEscapes(v, d)))
    }
  }
  if (groups.length === 0) return { error: 'the message has no OBR or OBX segment, so no report text', line: msh.line }
  const records = groups.map((g, i) => {
    const o = g.obr?.fields ?? []
    const placer = comp(o[2])
    const filler = comp(o[3])
    const accession = filler || placer
    const idBase = accession || base.message_id
    const id = groups.length > 1 && !accession ? `${idBase}#${i + 1}` : idBase
    const fields: RecordFields = {
      ...base,
      id,
      text: g.text.length > 0 ? obxText(g.obx) : (g.st.length > 0 ? g.st : g.nte).join('\n'),
      accession,
      placer_order: placer,
      filler_order: filler,
      study_date: hl7DateToIso(comp(o[7]) || comp(o[6])),
      exam: comp(o[4], 2) || comp(o[4], 1),
      modality: comp(o[24]),
      result_status: comp(o[25])
    }
    const ordered: RecordFields = {}
    for (const f of HL7_FIELDS) ordered[f] = fields[f] ?? ''
    return { fields: ordered, line: g.line }
  })
  return { records }
}

/** Splits on \r\n, \r and \n across chunks; MLLP's 0x0B / 0x1C end a segment without being a line. */
export class SegmentSplitter {
  private rest = ''
  private line = 0
  push(chunk: string, out: Hl7Line[] = []): Hl7Line[] {
    let s = this.rest + chunk
    // Keep a trailing \r: it may be the first half of \r\n.
    let keep = ''
    if (s.endsWith('\r')) {
      keep = '\r'
      s = s.slice(0, -1)
    }
    const re = /\r\n|\r|\n/g
    let from = 0
    let m: RegExpExecArray | null
    while ((m = re.exec(s)) !== null) {
      this.emit(s.slice(from, m.index), out)
      from = m.index + m[0].length
    }
    this.rest = s.slice(from) + keep
    return out
  }
  end(out: Hl7Line[] = []): Hl7Line[] {
    const s = this.rest.replace(/\r$/, '')
    if (s !== '') this.emit(s, out)
    else if (this.rest !== '') this.line++
    this.rest = ''
    return out
  }
  private emit(text: string, out: Hl7Line[]): void {
    this.line++
    if (text.includes('\x0b') || text.includes('\x1c')) {
      for (const part of text.split(/[\x0b\x1c]/)) if (part !== '') out.push({ text: part, line: this.line })
    } else out.push({ text, line: this.line })
  }
}

/** Groups lines into messages (each starting at MSH). Lines before the first MSH are returned as junk. */
export class MessageGrouper {
  private current: Hl7Line[] = []
  private junk: Hl7Line[] = []
  push(lines: Hl7Line[], out: Array<{ lines: Hl7Line[] } | { junk: Hl7Line[] }> = []) {
    for (const l of lines) {
      // Batch envelopes (FHS/BHS ... BTS/FTS) wrap messages; they carry no report.
      if (/^(FHS|BHS|BTS|FTS)/.test(l.text)) {
        this.flush(out)
        continue
      }
      if (l.text.startsWith('MSH')) {
        this.flush(out)
        this.current = [l]
      } else if (this.current.length > 0) this.current.push(l)
      else if (l.text.trim() !== '') this.junk.push(l)
    }
    return out
  }
  end(out: Array<{ lines: Hl7Line[] } | { junk: Hl7Line[] }> = []) {
    this.flush(out)
    return out
  }
  private flush(out: Array<{ lines: Hl7Line[] } | { junk: Hl7Line[] }>): void {
    if (this.junk.length > 0) out.push({ junk: this.junk })
    this.junk = []
    if (this.current.length > 0) out.push({ lines: this.current })
    this.current = []
  }
}

/** Parse a whole HL7 text (tests, preview): reader items without file I/O. */
export function parseHl7Text(text: string, file = 'hl7'): ReaderItem[] {
  const conv = messageConverter(file, 0, true)
  const splitter = new SegmentSplitter()
  const grouper = new MessageGrouper()
  const items: ReaderItem[] = []
  for (const g of grouper.push(splitter.end(splitter.push(text)))) conv(g, items)
  for (const g of grouper.end()) conv(g, items)
  return items
}

function messageConverter(file: string, skipFirst: number, checkDecoding: boolean) {
  let record = 0
  let messages = 0
  let skip = skipFirst
  const push = (item: ReaderItem, items: ReaderItem[]) => {
    if (skip > 0) skip--
    else items.push(item)
  }
  return (g: { lines: Hl7Line[] } | { junk: Hl7Line[] }, items: ReaderItem[]) => {
    if ('junk' in g) {
      const line = g.junk[0].line
      push(
        {
          kind: 'error',
          code: 'malformed',
          reason: `line ${line}: text outside any message (every message starts with an MSH segment)`,
          loc: { file, line, record: ++record },
          raw: clipRaw(g.junk.map((l) => l.text).join('\n'))
        },
        items
      )
      return
    }
    const n = ++messages
    const raw = () => clipRaw(g.lines.map((l) => l.text).join('\r'))
    const result = parseMessage(g.lines, n)
    if (result.error !== undefined) {
      push(
        {
          kind: 'error',
          code: 'malformed',
          reason: `message ${n}: ${result.error}`,
          loc: { file, line: result.line, record: ++record },
          raw: raw()
        },
        items
      )
      return
    }
    for (const r of result.records) {
      const loc = { file, line: r.line, record: ++record }
      if (checkDecoding && r.fields.text.includes(REPLACEMENT_CHAR)) {
        push(
          {
            kind: 'error',
            code: 'undecodable',
            reason: `message ${n}: report text contains bytes that are not valid UTF-8 (shown as \uFFFD); choose the Windows-1252 encoding or fix the sender's character set`,
            loc,
            raw: raw()
          },
          items
        )
      } else push({ kind: 'record', fields: r.fields, loc }, items)
    }
  }
}

export async function openHl7(path: string, opts: ReadOptions = {}): Promise<RecordSource> {
  const file = await openTextFile(path, opts.encoding)
  const notes: string[] = file.guess.note ? [file.guess.note] : []
  if (!/(^|[\r\n\x0b\x1c])MSH./.test(file.headText.slice(0, 65536))) {
    throw new ImportFileError(
      path,
      'no MSH segment found at the start of the file, so this is not an HL7 v2 message file.',
      'Choose a file of HL7 v2 messages (each starting with MSH|^~\\&|...) or another format.'
    )
  }
  return {
    info: { path, format: 'hl7', encoding: file.guess.encoding, notes, fields: HL7_FIELDS, totalBytes: file.totalBytes },
    bytesRead: file.bytesRead,
    async *batches() {
      const conv = messageConverter(path, opts.skip ?? 0, file.guess.encoding !== 'windows-1252')
      const splitter = new SegmentSplitter()
      const grouper = new MessageGrouper()
      for await (const chunk of file.chunks()) {
        const items: ReaderItem[] = []
        for (const g of grouper.push(splitter.push(chunk))) conv(g, items)
        if (items.length) yield items
      }
      const items: ReaderItem[] = []
      for (const g of grouper.push(splitter.end())) conv(g, items)
      for (const g of grouper.end()) conv(g, items)
      if (items.length) yield items
    }
  }
}
