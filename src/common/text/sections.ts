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

/** Normalised form of a header phrase: lower case, single spaces, no blanks around '/' and '&'. */
export function normalisePhrase(p: string): string {
  return p.toLowerCase().replace(/\s*([/&])\s*/g, '$1').replace(/\s+/g, ' ').trim()
}

/** Longest phrase, in characters, that can be a header (bounds the look-around). */
const MAX_PHRASE = Math.max(...[...PHRASE_TO_SECTION.keys()].map((p) => p.length)) + 8

/** A site's own headers: phrase (any case) -> section, or 'none' to stop a built-in phrase being a header. */
export type SectionHeaderMap = Record<string, Exclude<SectionName, 'whole'> | 'none'>

interface HeaderLookup {
  get(phrase: string): SectionName | undefined
  maxPhrase: number
}

const BUILTIN_LOOKUP: HeaderLookup = { get: (p) => PHRASE_TO_SECTION.get(p), maxPhrase: MAX_PHRASE }
const lookupCache = new WeakMap<SectionHeaderMap, HeaderLookup>()

/** Site headers over the built-in ones (cached per map object, so a whole batch compiles it once). */
function headerLookup(map: SectionHeaderMap | undefined): HeaderLookup {
  if (!map || Object.keys(map).length === 0) return BUILTIN_LOOKUP
  let l = lookupCache.get(map)
  if (!l) {
    const own = new Map<string, SectionName | 'none'>()
    for (const [phrase, name] of Object.entries(map)) {
      const n = normalisePhrase(phrase.replace(/[:\s-]+$/, ''))
      if (n) own.set(n, name)
    }
    const longest = Math.max(0, ...[...own.keys()].map((k) => k.length)) + 8
    l = {
      get: (p) => {
        const o = own.get(p)
        return o === 'none' ? undefined : (o ?? PHRASE_TO_SECTION.get(p))
      },
      maxPhrase: Math.max(MAX_PHRASE, longest)
    }
    lookupCache.set(map, l)
  }
  return l
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

const isSpace = (c: number) => c === 32 || c === 9

/** A header at a line start: indent, optional numbering ("1." / "2)"), phrase, then ":" / " - " / end of line. */
function headerAtLineStart(text: string, lineStart: number, lineEnd: number, lk: HeaderLookup): HeaderHit | undefined {
  let i = lineStart
  while (i < lineEnd && isSpace(text.charCodeAt(i))) i++
  const start = i
  let d = i
  while (d < lineEnd && d - i < 2 && text.charCodeAt(d) >= 48 && text.charCodeAt(d) <= 57) d++
  if (d > i && (text[d] === '.' || text[d] === ')')) {
    i = d + 1
    while (i < lineEnd && isSpace(text.charCodeAt(i))) i++
  }
  const phraseStart = i
  const limit = Math.min(lineEnd, phraseStart + lk.maxPhrase)
  for (let k = phraseStart; k < limit; k++) {
    const c = text.charCodeAt(k)
    const colon = c === 58
    const dash = c === 45 && k > phraseStart && isSpace(text.charCodeAt(k - 1)) && isSpace(text.charCodeAt(k + 1))
    if (!colon && !dash) {
      // Only letters, spaces, '/' and '&' can be part of a phrase.
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
      if (!letter && !isSpace(c) && c !== 47 && c !== 38) return undefined
      continue
    }
    const phrase = text.slice(phraseStart, k)
    const name = lk.get(normalisePhrase(phrase))
    if (!name) return undefined
    return { name, header: text.slice(start, k + 1), headerStart: start, after: k + 1 }
  }
  // No terminator: the whole line is the header if it is a capitalised phrase.
  if (lineEnd <= limit && lineEnd > phraseStart) {
    const phrase = text.slice(phraseStart, lineEnd).trimEnd()
    const name = lk.get(normalisePhrase(phrase))
    if (!name || !/^[A-Z]/.test(phrase)) return undefined
    return { name, header: text.slice(start, phraseStart + phrase.length), headerStart: start, after: phraseStart + phrase.length }
  }
  return undefined
}

/** A capitalised header right before the colon at `colon`, preceded by a blank ("... clear. IMPRESSION: ..."). */
function headerBeforeColon(text: string, colon: number, floor: number, lk: HeaderLookup): HeaderHit | undefined {
  // The run of capitals, blanks, '/' and '&' before the colon, then its suffixes starting at a word.
  let b = colon
  while (b > floor && colon - b < lk.maxPhrase) {
    const c = text.charCodeAt(b - 1)
    if (!((c >= 65 && c <= 90) || isSpace(c) || c === 47 || c === 38)) break
    b--
  }
  for (let s = b; s < colon; s++) {
    const c = text.charCodeAt(s)
    if (c < 65 || c > 90 || (s > b && !isSpace(text.charCodeAt(s - 1)))) continue
    const prev = text.charCodeAt(s - 1)
    if (!isSpace(prev)) continue
    const phrase = text.slice(s, colon).trimEnd()
    const name = lk.get(normalisePhrase(phrase))
    if (name && isUpper(phrase)) return { name, header: text.slice(s, colon + 1), headerStart: s, after: colon + 1 }
  }
  return undefined
}

/**
 * Headers are accepted where a reader would see one:
 * - at the start of a line, followed by a colon/dash, or alone on its line and capitalised;
 * - mid-line only when written in capitals with a colon ("... normal. IMPRESSION: no acute ..."),
 *   so that prose such as "the impression is" never starts a section.
 * Only line starts and colons are examined (no regex over the text), which keeps this fast.
 */
function findHeaders(text: string, lk: HeaderLookup): HeaderHit[] {
  const hits: HeaderHit[] = []
  const n = text.length
  let lineStart = 0
  for (;;) {
    let lineEnd = lineStart
    while (lineEnd < n) {
      const c = text.charCodeAt(lineEnd)
      if (c === 10 || c === 13) break
      lineEnd++
    }
    const h = headerAtLineStart(text, lineStart, lineEnd, lk)
    let from = lineStart
    if (h) {
      hits.push(h)
      from = h.after
    }
    for (let c = text.indexOf(':', from); c !== -1 && c < lineEnd; c = text.indexOf(':', c + 1)) {
      const m = headerBeforeColon(text, c, from, lk)
      if (m) {
        hits.push(m)
        from = m.after
      }
    }
    if (lineEnd >= n) break
    lineStart = text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10 ? lineEnd + 2 : lineEnd + 1
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

/** Where the first blank line (a line of only blanks) in [from, to) begins, or -1. */
function firstBlankLine(text: string, from: number, to: number): number {
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < to; nl = text.indexOf('\n', nl + 1)) {
    let k = nl + 1
    while (k < to && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 13)) k++
    if (k >= to) return -1
    if (text.charCodeAt(k) === 10) return nl
  }
  return -1
}

/** Paragraphs (runs of non-blank lines) in [from, to), as trimmed spans. */
function paragraphs(text: string, from: number, to: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = []
  let i = skipBlank(text, from, to)
  while (i < to) {
    const b = firstBlankLine(text, i, to)
    const end = b === -1 ? to : b
    out.push({ start: i, end: trimEnd(text, i, end) })
    i = b === -1 ? to : skipBlank(text, b, to)
  }
  return out
}

/**
 * Sections of the header block whose body stops at the first blank line when unheaded paragraphs follow:
 * the administrative headers and banners. Findings, impression, addenda and recommendations keep every
 * paragraph up to the next header.
 */
const HEADER_BLOCK = new Set(['indication', 'comparison', 'technique'])
const BANNERS = new Set(['final report', 'preliminary report', 'wet read', 'notification'])

function isHeaderBlock(s: Section): boolean {
  if (HEADER_BLOCK.has(s.name)) return true
  return s.name === 'other' && s.header !== undefined && BANNERS.has(normalisePhrase(s.header.replace(/[:\s-]+$/, '')))
}

export interface SplitOptions {
  /** A site's own header phrases (see SectionHeaderMap). */
  headers?: SectionHeaderMap
}

/**
 * Split a report into sections. Offsets index the given text (never modified). Bodies exclude the
 * header and surrounding blank space. Text before the first header becomes an 'other' section; a
 * report without any header is one 'whole' section spanning the entire text.
 *
 * Unheaded paragraphs after the header block (MIMIC-CXR's convention, also its own section parser's):
 * an INDICATION / COMPARISON / TECHNIQUE section or a banner (FINAL REPORT, WET READ) ends at its first
 * blank line when paragraphs follow before the next header; those paragraphs are the findings, and the
 * last one is the impression when the report has no IMPRESSION of its own.
 */
export function splitSections(text: string, opts: SplitOptions = {}): Section[] {
  const hits = findHeaders(text, headerLookup(opts.headers))
  if (hits.length === 0) return [{ name: 'whole', start: 0, end: text.length }]
  const sections: Section[] = []
  const preStart = skipBlank(text, 0, hits[0].headerStart)
  if (preStart < hits[0].headerStart) {
    sections.push({ name: 'other', start: preStart, end: trimEnd(text, preStart, hits[0].headerStart) })
  }
  // Unheaded paragraphs, each with the index in `sections` it follows.
  const orphans: Array<{ after: number; paras: Array<{ start: number; end: number }> }> = []
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]
    const limit = i + 1 < hits.length ? hits[i + 1].headerStart : text.length
    const start = skipBlank(text, h.after, limit)
    let end = trimEnd(text, start, limit)
    const section: Section = { name: h.name, header: h.header, headerStart: h.headerStart, start, end }
    if (isHeaderBlock(section)) {
      const blank = firstBlankLine(text, start, end)
      if (blank !== -1) {
        const paras = paragraphs(text, blank, end)
        end = trimEnd(text, start, blank)
        section.end = end
        if (paras.length > 0) orphans.push({ after: sections.length, paras })
      }
    }
    sections.push(section)
  }
  if (orphans.length === 0) return sections
  const hasImpression = sections.some((s) => s.name === 'impression')
  const lastOrphan = orphans[orphans.length - 1]
  const inserts: Array<{ after: number; add: Section[] }> = []
  for (const o of orphans) {
    const paras = o.paras
    const add: Section[] = []
    const conclusion = !hasImpression && o === lastOrphan ? paras[paras.length - 1] : undefined
    const body = conclusion ? paras.slice(0, -1) : paras
    if (body.length > 0) add.push({ name: 'findings', start: body[0].start, end: body[body.length - 1].end })
    if (conclusion) add.push({ name: 'impression', start: conclusion.start, end: conclusion.end })
    inserts.push({ after: o.after, add })
  }
  for (let k = inserts.length - 1; k >= 0; k--) sections.splice(inserts[k].after + 1, 0, ...inserts[k].add)
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

/** One header as written in a report: its phrase (without colon) and the section it opens (null: none). */
export interface HeaderUse {
  phrase: string
  section: Exclude<SectionName, 'whole'> | null
}

/**
 * The headers of one report: every recognised one, and the lines that look like a header but are not
 * known (a capitalised phrase of at most five words at a line start, followed by a colon). Feeds the
 * per-batch header report a site uses to teach its own headers.
 */
export function headersIn(text: string, opts: SplitOptions = {}): HeaderUse[] {
  const lk = headerLookup(opts.headers)
  const out: HeaderUse[] = []
  const known = new Set<number>()
  for (const h of findHeaders(text, lk)) {
    known.add(h.headerStart)
    out.push({ phrase: cleanPhrase(h.header), section: h.name as HeaderUse['section'] })
  }
  const re = /^[ \t]*(?:\d{1,2}[.)][ \t]*)?([A-Za-z][A-Za-z/&]*(?:[ \t]+[A-Za-z/&]+){0,4})[ \t]*:/gm
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index + m[0].indexOf(m[1])
    if (known.has(start)) continue
    const phrase = m[1]
    // Prose ("Right IJ catheter: tip ...") is rarely capitalised word by word; headers usually are.
    if (!isUpper(phrase) && !/^(?:[A-Z][a-z]*(?:[ \t/&]+|$))+$/.test(phrase)) continue
    if (phrase.length > 40) continue
    out.push({ phrase: cleanPhrase(phrase), section: null })
  }
  return out
}

function cleanPhrase(header: string): string {
  return header.replace(/^[ \t]*(?:\d{1,2}[.)][ \t]*)?/, '').replace(/[\s:-]+$/, '').replace(/\s+/g, ' ').toUpperCase()
}
