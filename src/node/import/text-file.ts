// A text file read as a stream of decoded string chunks, with the encoding sniffed from its head and
// the number of bytes consumed so far (for progress).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createDecoder, readHead, sniffEncoding, type EncodingGuess } from './decode'
import type { TextEncoding } from './types'

// 64 KB: decoded strings stay below V8's large-object size; 256 KB chunks made decoding ~20x slower here.
export const CHUNK_BYTES = 64 * 1024
const SNIFF_BYTES = 1024 * 1024

export interface TextFile {
  path: string
  guess: EncodingGuess
  totalBytes: number
  /** Decoded head (first 64 KB or less), for format and delimiter sniffing. */
  headText: string
  bytesRead(): number
  chunks(): AsyncGenerator<string>
}

export async function openTextFile(path: string, forced?: TextEncoding): Promise<TextFile> {
  const { size } = await stat(path)
  const head = await readHead(path, Math.min(size, SNIFF_BYTES))
  const guess: EncodingGuess = forced ? { encoding: forced, bom: 0 } : sniffEncoding(head, head.length >= size)
  if (forced === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) guess.bom = 3
  if (forced?.startsWith('utf-16') && head.length >= 2 && head[0] + head[1] === 0xff + 0xfe) guess.bom = 2
  const headDecoder = createDecoder(guess.encoding)
  const headText = headDecoder.decode(head.subarray(guess.bom, Math.min(head.length, 65536)))
  let read = guess.bom
  return {
    path,
    guess,
    totalBytes: size,
    headText,
    bytesRead: () => read,
    async *chunks() {
      read = guess.bom
      const decoder = createDecoder(guess.encoding)
      const stream = createReadStream(path, { start: guess.bom, highWaterMark: CHUNK_BYTES })
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        read += chunk.length
        const s = decoder.decode(chunk)
        if (s) yield s
      }
      const rest = decoder.end()
      if (rest) yield rest
    }
  }
}
