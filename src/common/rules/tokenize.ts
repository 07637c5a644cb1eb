// Word tokens with offsets. Text, lexicon terms and context triggers go through the same tokenizer,
// so "plate-like", "plate like" and "PLATE-LIKE" match alike. Letters and digits form words (lower-
// cased); the punctuation that matters for scope ( , ; : ( ) / ? . ! ) becomes one-character tokens;
// so does a dash that stands alone ("Effusion - absent", an en or em dash) as "-"; everything else
// (spaces, hyphens inside words, quotes) only separates.

export interface Tokens {
  /** Normalised token text. */
  norm: string[]
  start: number[]
  end: number[]
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0x2000)
  )
}

function isSpaceChar(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0
}

function isPunctToken(c: number): boolean {
  // , ; : ( ) / ? . !
  return c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 47 || c === 63 || c === 46 || c === 33
}

export function tokenize(text: string, start = 0, end = text.length, out?: Tokens): Tokens {
  const t = out ?? { norm: [], start: [], end: [] }
  t.norm.length = 0
  t.start.length = 0
  t.end.length = 0
  let i = start
  while (i < end) {
    const c = text.charCodeAt(i)
    if (isWordChar(c)) {
      const s = i
      i++
      while (i < end && isWordChar(text.charCodeAt(i))) i++
      t.norm.push(text.slice(s, i).toLowerCase())
      t.start.push(s)
      t.end.push(i)
    } else {
      if (isPunctToken(c)) {
        t.norm.push(text[i])
        t.start.push(i)
        t.end.push(i + 1)
      } else if (
        c === 0x2013 ||
        c === 0x2014 ||
        (c === 45 && (i === start || isSpaceChar(text.charCodeAt(i - 1))) && (i + 1 >= end || isSpaceChar(text.charCodeAt(i + 1))))
      ) {
        // a free-standing dash ("Effusion - absent"); a hyphen inside a word only separates
        t.norm.push('-')
        t.start.push(i)
        t.end.push(i + 1)
      }
      i++
    }
  }
  return t
}

/** Tokens of a phrase as plain strings (for compiling terms and triggers). */
export function tokenizePhrase(phrase: string): string[] {
  return tokenize(phrase).norm
}
