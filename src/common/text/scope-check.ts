// Whether a labelling scope finds the text it is meant to read. A report without a findings or
// impression section (a header block only, unknown headers, free text) must not pass as "nothing found":
// the run records a warning for it and counts it in the summary.
import type { Section, TextScope } from '../types'

const hasText = (text: string, s: Section) => s.end > s.start && text.slice(s.start, s.end).trim() !== ''

/** The warning for a report whose scope finds no findings/impression text, or undefined when it does. */
export function scopeWarning(text: string, sections: readonly Section[], scope: TextScope): string | undefined {
  if (scope === 'whole') return undefined
  const wanted = scope === 'impression' ? ['impression'] : ['findings', 'impression']
  const addendum = (s: Section) => s.name === 'other' && s.header !== undefined && /^\s*(\d{1,2}[.)]\s*)?addend(um|a)\b/i.test(s.header)
  if (sections.some((s) => (wanted.includes(s.name) || addendum(s)) && hasText(text, s))) return undefined
  const what = scope === 'impression' ? 'no impression text' : 'no findings or impression text'
  const rest = sections.filter((s) => (s.name === 'whole' || s.name === 'other') && hasText(text, s))
  if (rest.length === 0) {
    return `${what}: nothing in this report was read for the scope "${scope}", so every label is not mentioned; check the report's sections (import header report) or label it with scope "whole"`
  }
  const headed = sections.some((s) => s.header)
  return headed
    ? `${what}: its headers are not findings/impression ones, so the text outside the known sections was read instead; teach the site's headers (import header report) if this is wrong`
    : `${what} (no section headers): the whole text was read`
}
