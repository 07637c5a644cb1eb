// Sentence splitting with offsets into the original text. Radiology reports break the usual rules:
// numbered impressions ("1. ... 2. ..."), missing spaces after periods, line-wrapped sentences,
// decimals ("2.5 cm") and abbreviations ("approx.", "e.g."). Negation scope must not leak across
// sentences, so a missed boundary is worse than an extra one.
import type { Span } from '../types'

const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'vs', 'approx', 'eg', 'e.g', 'ie', 'i.e', 'etc', 'fig', 'no', 'st', 'cf', 'incl', 'ca'
])

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
function isUpper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0
}

/** The word (letters and inner periods) ending just before index `i`, lower-cased. */
function wordBefore(text: string, i: number, min: number): string {
  let j = i
  while (j > min && (isAlpha(text.charCodeAt(j - 1)) || text.charCodeAt(j - 1) === 46)) j--
  return text.slice(j, i).toLowerCase()
}

/** True when a list item starts at `i` ("1.", "2)", "-", "*", "•" followed by a space). */
function listMarkerAt(text: string, i: number, end: number): boolean {
  const c = text.charCodeAt(i)
  if (c === 45 || c === 42 || c === 0x2022) return i + 1 < end && isSpace(text.charCodeAt(i + 1))
  let j = i
  while (j < end && isDigit(text.charCodeAt(j))) j++
  if (j === i || j - i > 2 || j >= end) return false
  const d = text.charCodeAt(j)
  return (d === 46 || d === 41) && (j + 1 >= end || isSpace(text.charCodeAt(j + 1)))
}

/** True when `text[a, b)` holds a letter or digit. */
function hasWord(text: string, a: number, b: number): boolean {
  for (let k = a; k < b; k++) {
    const c = text.charCodeAt(k)
    if (isAlpha(c) || isDigit(c)) return true
  }
  return false
}

/**
 * True when a line starting at `i` is a "Label: value" field of a structured report ("Pleural effusion:
 * No"): up to 5 words, then a colon. Each such line is its own sentence, so one field's "No" never
 * reaches the next field.
 */
function fieldLineAt(text: string, i: number, end: number): boolean {
  let words = 0
  let inWord = false
  for (let k = i; k < end && k < i + 60; k++) {
    const c = text.charCodeAt(k)
    if (c === 58) return words > 0 // ':'
    if (isAlpha(c) || isDigit(c)) {
      if (!inWord) {
        words++
        if (words > 5) return false
      }
      inWord = true
    } else if (c === 32 || c === 45 || c === 95 || c === 47 || c === 40 || c === 41) inWord = false
    else return false
  }
  return false
}

/**
 * Splits `text[start, end)` into sentences; returns trimmed spans (offsets into `text`), in order,
 * never empty. Boundaries: . ! ? followed by space, end or a capital letter (".There"), except in
 * decimals and after common abbreviations; ";"-free; blank lines; a line that starts a list item.
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
  const out: Span[] = []
  let s = start
  const push = (a: number, b: number): void => {
    while (a < b && isSpace(text.charCodeAt(a))) a++
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--
    if (b > a) out.push({ start: a, end: b })
  }
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 || c === 33 || c === 63) {
      // . ! ?
      const next = i + 1 < end ? text.charCodeAt(i + 1) : -1
      if (c !== 46) {
        // "?" and "!" end a sentence only before a space or the end; "?pneumonia" and a leading
        // "? Right lower lobe pneumonia" are a query inside the sentence, not its end
        if (next !== -1 && !isSpace(next)) continue
        if (!hasWord(text, s, i)) continue
      }
      if (c === 46) {
        const prev = i > start ? text.charCodeAt(i - 1) : -1
        if (isDigit(prev) && isDigit(next)) continue // 2.5
        if (next === 46) continue // ellipsis: split at its last dot
        if (next !== -1 && !isSpace(next) && !isUpper(next)) continue // e.g. "x-ray.com", "e.g."
        if (isSpace(next) || next === -1) {
          const w = wordBefore(text, i, start)
          if (ABBREVIATIONS.has(w) && next !== -1) {
            // "No. 3" / "approx. 2 cm": keep going unless a capitalised sentence clearly follows
            let k = i + 1
            while (k < end && isSpace(text.charCodeAt(k))) k++
            if (k < end && !isUpper(text.charCodeAt(k))) continue
            if (w === 'dr' || w === 'mr' || w === 'mrs' || w === 'ms' || w === 'st') continue
          }
        }
      }
      push(s, i + 1)
      s = i + 1
    } else if (c === 10) {
      // blank line, or a new line that starts a list item
      let k = i + 1
      let blank = false
      while (k < end && isSpace(text.charCodeAt(k))) {
        if (text.charCodeAt(k) === 10) blank = true
        k++
      }
      if (blank || (k < end && (listMarkerAt(text, k, end) || fieldLineAt(text, k, end)))) {
        push(s, i)
        s = i + 1
      }
    }
  }
  push(s, end)
  return out
}
