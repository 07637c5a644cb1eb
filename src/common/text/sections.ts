// Section splitter: finds FINDINGS / IMPRESSION / INDICATION / COMPARISON / TECHNIQUE headers (and
// their common variants) in a report and returns sections with offsets into the untouched original.
// Also the inverse: compose one report text from separate section fields with known offsets.
import type { Section, SectionName } from '../types'

/** Header phrases per section. Words are matched case-insensitively with flexible whitespace. */
export const SECTION_HEADERS: Record<Exclude<SectionName, 'whole'>, readonly string[]> = {
  // A combined "findings and impression" block is findings that also serves as the impression;
  // consumers that want the impression fall back to it when no separate impression exists.
  findings: [
    'findings and impression',
    'findings and impressions',
    'findings/impression',
    'findings / impression',
    'findings & impression',
    'findings',
    'finding',
    'report findings',
    'radiographic findings',
    'observations',
    'description'
  ],
  impression: [
    'impression',
    'impressions',
    'final impression',
    'conclusion',
    'conclusions',
    'summary',
    'opinion',
    'interpretation',
    'diagnosis',
    'assessment'
  ],
  indication: [
    'indication',
    'indications',
    'clinical indication',
    'clinical indications',
    'history',
    'clinical history',
    'patient history',
    'medical history',
    'clinical information',
    'clinical info',
    'clinical details',
    'clinical notes',
    'clinical data',
    'reason for exam',
    'reason for examination',
    'reason for study',
    'reason for referral',
    'reason',
    'indication/history',
    'history/indication'
  ],
  comparison: ['comparison', 'comparisons', 'comparison study', 'comparison studies', 'prior studies', 'priors'],
  technique: ['technique', 'techniques', 'procedure', 'protocol', 'examination', 'exam', 'views', 'study'],
  other: [
    'addendum',
    'recommendation',
    'recommendations',
    'notification',
    'wet read',
    'final report',
    'preliminary report',
    'attending statement',
    'signed by',
    'electronically signed by'
  ]
}

const PHRASE_TO_SECTION = new Map<string, SectionName>()
for (const [name, phrases] of Object.entries(SECTION_HEADERS)) {
  for (const p of phrases) PHRASE_TO_SECTION.set(normalisePhrase(p), name as SectionName)
}

function normalisePhrase(p: string): string {
  return p.toLowerCase().replace(/\s*([/&])\s*/g, '$1').replace(/\s+/g, ' ')
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// Longest phrases first so "findings and impression" wins over "findings".
const ALTERNATION = [...PHRASE_TO_SECTION.keys()]
  .sort((a, b) => b.length - a.length)
  .map((p) => escapeRe(p).replace(/ /g, '[ \\t]+').replace(/([/&])/g, '[ \\t]*$1[ \\t]*'))
  .join('|')

// Group 1: optional numbering ("1.", "2)"); group 2: the phrase; group 3: the colon/dash terminator.
const HEADER_RE = new RegExp(
  `(?:(\\d{1,2}[.)])[ \\t]*)?\\b(${ALTERNATION})(?![A-Za-z0-9])[ \\t]*(:|-(?=[ \\t]))?`,
  'gi'
)

function isLineStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text.charCodeAt(i)
    if (c === 10 || c === 13) return true
    if (c !== 32 && c !== 9) return false
  }
  return true
}

function restOfLineBlank(text: string, index: number): boolean {
  for (let i = index; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || c === 13) return true
    if (c !== 32 && c !== 9) return false
  }
  return true
}

function isUpper(s: string): boolean {
  return s === s.toUpperCase() && s !== s.toLowerCase()
}

interface HeaderHit {
  name: SectionName
  header: string
  headerStart: number
  /** Index just after the header (and its colon). */
  after: number
}

/**
 * Headers are accepted where a reader would see one:
 * - at the start of a line, followed by a colon/dash, or alone on its line;
 * - mid-line only when written in capitals with a colon ("... normal. IMPRESSION: no acute ..."),
 *   so that prose such as "the impression is" never starts a section.
 */
function findHeaders(text: string): HeaderHit[] {
  const hits: HeaderHit[] = []
  HEADER_RE.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = HEADER_RE.exec(text)) !== null) {
    const start = m.index
    const phrase = m[2]
    const terminator = m[3]
    const end = start + m[0].length
    const lineStart = isLineStart(text, start)
    let ok = false
    if (lineStart) {
      ok = terminator !== undefined || (restOfLineBlank(text, end) && (isUpper(phrase) || /^[A-Z]/.test(phrase)))
    } else if (terminator === ':' && !m[1] && isUpper(phrase)) {
      const prev = text.charCodeAt(start - 1)
      ok = prev === 32 || prev === 9
    }
    if (!ok) continue
    const name = PHRASE_TO_SECTION.get(normalisePhrase(phrase))
    if (!name) continue
    // The header text as written, without trailing blanks before the colon.
    const header = text.slice(start, end).replace(/[ \t]+$/, '')
    hits.push({ name, header, headerStart: start, after: end })
  }
  return hits
}

function skipBlank(text: string, from: number, to: number): number {
  let i = from
  while (i < to) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
    i++
  }
  return i
}

function trimEnd(text: string, from: number, to: number): number {
  let i = to
  while (i > from) {
    const c = text.charCodeAt(i - 1)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
    i--
  }
  return i
}

/**
 * Split a report into sections. Offsets index the given text (never modified). Bodies exclude the
 * header and surrounding blank space. Text before the first header becomes an 'other' section; a
 * report without any header is one 'whole' section spanning the entire text.
 */
export function splitSections(text: string): Section[] {
  const hits = findHeaders(text)
  if (hits.length === 0) return [{ name: 'whole', start: 0, end: text.length }]
  const sections: Section[] = []
  const preStart = skipBlank(text, 0, hits[0].headerStart)
  if (preStart < hits[0].headerStart) {
    sections.push({ name: 'other', start: preStart, end: trimEnd(text, preStart, hits[0].headerStart) })
  }
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]
    const limit = i + 1 < hits.length ? hits[i + 1].headerStart : text.length
    const start = skipBlank(text, h.after, limit)
    const end = trimEnd(text, start, limit)
    sections.push({ name: h.name, header: h.header, headerStart: h.headerStart, start, end })
  }
  return sections
}

/** Sections with the given name (several when a report repeats a header). */
export function sectionsNamed(sections: Section[], name: SectionName): Section[] {
  return sections.filter((s) => s.name === name)
}

export const DEFAULT_SECTION_HEADERS: Record<Exclude<SectionName, 'whole' | 'other'>, string> = {
  indication: 'INDICATION:',
  technique: 'TECHNIQUE:',
  comparison: 'COMPARISON:',
  findings: 'FINDINGS:',
  impression: 'IMPRESSION:'
}

export interface SectionPart {
  name: Exclude<SectionName, 'whole'>
  text: string
  /** Header to write; defaults to DEFAULT_SECTION_HEADERS (or "NOTE:" for 'other'). */
  header?: string
}

/**
 * Build one report text from separate section fields (e.g. findings + impression columns):
 * "FINDINGS: ...\n\nIMPRESSION: ...". Field texts are copied verbatim; empty fields are left out.
 * Returned sections point exactly at each field's text.
 */
export function composeReport(parts: SectionPart[]): { text: string; sections: Section[] } {
  let text = ''
  const sections: Section[] = []
  for (const part of parts) {
    if (part.text.trim() === '') continue
    if (text.length > 0) text += '\n\n'
    const header = part.header ?? (part.name === 'other' ? 'NOTE:' : DEFAULT_SECTION_HEADERS[part.name])
    const headerStart = text.length
    text += header + ' '
    const start = text.length
    text += part.text
    sections.push({ name: part.name, header, headerStart, start, end: text.length })
  }
  return { text, sections }
}
