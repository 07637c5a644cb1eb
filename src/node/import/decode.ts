// Byte -> text decoding for report files: BOM detection (UTF-8, UTF-16 LE/BE), UTF-8 validation with a
// Windows-1252 fallback (Node's TextDecoder maps 'windows-1252' to Latin-1, so the C1 range is done here).
import { isUtf8 } from 'node:buffer'
import { open } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import type { TextEncoding } from './types'

export interface EncodingGuess {
  encoding: TextEncoding
  /** Bytes of BOM to skip. */
  bom: number
  note?: string
}

/** Read up to `n` bytes from the start of a file. */
export async function readHead(path: string, n = 65536): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

/** UTF-8 validity of a head that may end in the middle of a multi-byte character. */
export function isUtf8Head(head: Buffer, complete: boolean): boolean {
  if (complete || head.length < 4) return isUtf8(head)
  // Drop an incomplete trailing sequence (at most 3 bytes) before validating.
  let cut = head.length
  for (let i = 1; i <= 3; i++) {
    const b = head[head.length - i]
    if ((b & 0xc0) === 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
      if (need > i) cut = head.length - i
      break
    }
    if ((b & 0xc0) !== 0x80) break
  }
  return isUtf8(head.subarray(0, cut))
}

/** UTF-16 without BOM shows as ASCII interleaved with NUL bytes. */
function utf16WithoutBom(head: Buffer): TextEncoding | undefined {
  const n = Math.min(head.length, 4096) & ~1
  if (n < 8) return undefined
  let evenZero = 0
  let oddZero = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++
    if (head[i + 1] === 0) oddZero++
  }
  const pairs = n / 2
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le'
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be'
  return undefined
}

/**
 * Guess the encoding from the first bytes. `complete` says the head is the whole file.
 * Invalid UTF-8 in the head means Windows-1252 (the usual export encoding of older RIS systems).
 */
export function sniffEncoding(head: Buffer, complete: boolean): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 }
  const u16 = utf16WithoutBom(head)
  if (u16) return { encoding: u16, bom: 0, note: `no byte order mark; the byte pattern says ${u16.toUpperCase()}` }
  if (isUtf8Head(head, complete)) return { encoding: 'utf-8', bom: 0 }
  return {
    encoding: 'windows-1252',
    bom: 0,
    note: 'the file is not valid UTF-8; it was decoded as Windows-1252 (choose another encoding if the text looks wrong)'
  }
}

/** Bytes 0x80-0x9F in Windows-1252 (undefined positions keep their C1 control code, as WHATWG does). */
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178
].map((c) => String.fromCharCode(c))

export function decodeWindows1252(buf: Buffer): string {
  const latin1 = buf.toString('latin1')
  return /[\x80-\x9f]/.test(latin1) ? latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]) : latin1
}

/** A streaming decoder: feed buffers, get strings; multi-byte characters split across chunks are kept. */
export interface ChunkDecoder {
  decode(chunk: Buffer): string
  end(): string
}

export function createDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'windows-1252') return { decode: decodeWindows1252, end: () => '' }
  // Invalid bytes become U+FFFD, which readers report as "undecodable" per record. StringDecoder keeps
  // characters split across chunks and is several times faster than a streaming TextDecoder here.
  if (encoding === 'utf-16be') {
    const sd = new StringDecoder('utf16le')
    let odd: Buffer | undefined
    const swap = (c: Buffer) => {
      const b = odd ? Buffer.concat([odd, c]) : Buffer.from(c)
      odd = b.length % 2 ? b.subarray(b.length - 1) : undefined
      const even = odd ? b.subarray(0, b.length - 1) : b
      return even.swap16()
    }
    return { decode: (c) => sd.write(swap(c)), end: () => sd.end() + (odd ? REPLACEMENT_CHAR : '') }
  }
  const sd = new StringDecoder(encoding === 'utf-16le' ? 'utf16le' : 'utf8')
  return { decode: (c) => sd.write(c), end: () => sd.end() }
}

/** The replacement character a non-fatal decoder leaves where bytes were not valid. */
export const REPLACEMENT_CHAR = '\uFFFD'

/** Decode a whole small buffer (e.g. one .txt report) with sniffing. */
export function decodeBuffer(buf: Buffer, forced?: TextEncoding): { text: string; guess: EncodingGuess } {
  const guess: EncodingGuess = forced ? { encoding: forced, bom: 0 } : sniffEncoding(buf, true)
  if (forced) {
    if (forced === 'utf-8' && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) guess.bom = 3
    if (forced.startsWith('utf-16') && (buf[0] === 0xff || buf[0] === 0xfe) && (buf[1] === 0xfe || buf[1] === 0xff))
      guess.bom = 2
  }
  const d = createDecoder(guess.encoding)
  const text = d.decode(buf.subarray(guess.bom)) + d.end()
  return { text, guess }
}

/**
 * Why a report file's bytes are no text (NUL bytes, many control characters, a known binary signature),
 * or undefined. The same test a single file gets at detection, applied to every file of a folder.
 */
export function binaryReason(buf: Buffer): string | undefined {
  const head = buf.subarray(0, 8192)
  const ascii = head.subarray(0, 8).toString('latin1')
  if (ascii.startsWith('%PDF')) return 'this is a PDF document, not a text report'
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'this is a zip archive (or Office file), not a text report'
  const guess = sniffEncoding(head, head.length >= buf.length)
  if (guess.encoding.startsWith('utf-16')) return undefined
  if (buf.indexOf(0) !== -1) return 'the file contains NUL bytes: binary data, not a text report'
  let control = 0
  for (let i = 0; i < head.length; i++) {
    const c = head[i]
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12 && c !== 28) control++
  }
  if (control > head.length * 0.05) return 'the file is mostly control characters: binary data, not a text report'
  return undefined
}
