// A minimal safetensors writer: 8-byte little-endian header length, a JSON header (dtype, shape, byte
// offsets of each tensor; padded with spaces to a multiple of 8), then the raw little-endian tensor data.
// Enough to hand the tiny test model to Hugging Face Transformers.

export interface SafetensorsTensor {
  name: string
  /** Row-major shape, as PyTorch reports it (the last dimension varies fastest). */
  shape: number[]
  data: Float32Array
}

export function writeSafetensors(tensors: SafetensorsTensor[], metadata: Record<string, string> = { format: 'pt' }): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata }
  let offset = 0
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1)
    if (n !== t.data.length) throw new Error(`tensor ${t.name}: ${t.data.length} values for shape ${t.shape.join('x')}`)
    if (t.name in header) throw new Error(`tensor ${t.name} appears twice`)
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] }
    offset += t.data.byteLength
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8)
  const headerBytes = Buffer.from(json, 'utf8')
  const out = Buffer.alloc(8 + headerBytes.length + offset)
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0)
  headerBytes.copy(out, 8)
  let at = 8 + headerBytes.length
  for (const t of tensors) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, at)
    at += t.data.byteLength
  }
  return out
}

/** Reads back the header of a safetensors file (names, dtypes, shapes). */
export function readSafetensorsHeader(bytes: Buffer): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> {
  const n = Number(bytes.readBigUInt64LE(0))
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>
  delete header.__metadata__
  return header as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>
}
