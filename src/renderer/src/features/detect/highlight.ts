// Splits report text into plain and highlighted segments for evidence spans (offsets into the text).
import type { Evidence } from '../../../../common/types'

export interface Segment {
  text: string
  start: number
  /** CSS class of the highlight, or null for plain text. */
  cls: string | null
  title?: string
}

/** Mentions (lexicon terms) and context triggers are shown differently. */
export function evidenceClass(e: Evidence): string {
  return e.rule?.startsWith('lexicon:') || e.rule?.startsWith('anatomy:') ? 'hl hl-1' : 'hl hl-2'
}

/**
 * Non-overlapping segments covering the whole text. Overlapping spans: the earlier-starting one wins
 * over the overlap (evidence rarely overlaps: a mention and its trigger are disjoint).
 */
export function segments(text: string, spans: readonly (Evidence & { cls?: string })[]): Segment[] {
  const valid = spans
    .filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end)
  const out: Segment[] = []
  let pos = 0
  for (const s of valid) {
    if (s.end <= pos) continue
    const start = Math.max(s.start, pos)
    if (start > pos) out.push({ text: text.slice(pos, start), start: pos, cls: null })
    out.push({ text: text.slice(start, s.end), start, cls: s.cls ?? evidenceClass(s), title: s.rule })
    pos = s.end
  }
  if (pos < text.length) out.push({ text: text.slice(pos), start: pos, cls: null })
  return out
}

export const STATE_TEXT = { positive: 'positive', negative: 'negative', uncertain: 'uncertain', not_mentioned: 'not mentioned' } as const
export const STATE_SHORT = { positive: '1', negative: '0', uncertain: '-1', not_mentioned: '' } as const
