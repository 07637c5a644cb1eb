// A minimal GGUF v3 writer (little-endian): enough to produce test models with metadata and F32/F16
// tensors. Layout: header, key/value pairs, tensor infos, padding, tensor data (each aligned).

export const GGUF_TYPE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12
} as const

export const GGML_TYPE = { F32: 0, F16: 1 } as const
export type TensorType = keyof typeof GGML_TYPE

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'i32[]'; value: number[] }
  | { type: 'f32[]'; value: number[] }

export interface GgufTensor {
  name: string
  /** ne0 first: the input dimension of a weight matrix comes first. */
  dims: number[]
  type: TensorType
  /** Row-major values, dims[0] varying fastest; length = product of dims. */
  data: Float32Array
}

/** Growable little-endian byte buffer. */
class ByteWriter {
  private buf = Buffer.alloc(1 << 16)
  length = 0

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + n) size *= 2
    const next = Buffer.alloc(size)
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  u8(v: number): void {
    this.ensure(1)
    this.buf.writeUInt8(v, this.length)
    this.length += 1
  }
  u32(v: number): void {
    this.ensure(4)
    this.buf.writeUInt32LE(v, this.length)
    this.length += 4
  }
  i32(v: number): void {
    this.ensure(4)
    this.buf.writeInt32LE(v, this.length)
    this.length += 4
  }
  f32(v: number): void {
    this.ensure(4)
    this.buf.writeFloatLE(v, this.length)
    this.length += 4
  }
  u64(v: number | bigint): void {
    this.ensure(8)
    this.buf.writeBigUInt64LE(BigInt(v), this.length)
    this.length += 8
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8')
    this.u64(b.length)
    this.bytes(b)
  }
  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0)
  }
  result(): Buffer {
    return this.buf.subarray(0, this.length)
  }
}

function writeValue(w: ByteWriter, v: GgufValue): void {
  switch (v.type) {
    case 'u32':
      w.u32(GGUF_TYPE.UINT32)
      w.u32(v.value)
      return
    case 'i32':
      w.u32(GGUF_TYPE.INT32)
      w.i32(v.value)
      return
    case 'f32':
      w.u32(GGUF_TYPE.FLOAT32)
      w.f32(v.value)
      return
    case 'bool':
      w.u32(GGUF_TYPE.BOOL)
      w.u8(v.value ? 1 : 0)
      return
    case 'string':
      w.u32(GGUF_TYPE.STRING)
      w.string(v.value)
      return
    case 'string[]':
      w.u32(GGUF_TYPE.ARRAY)
      w.u32(GGUF_TYPE.STRING)
      w.u64(v.value.length)
      for (const s of v.value) w.string(s)
      return
    case 'i32[]':
      w.u32(GGUF_TYPE.ARRAY)
      w.u32(GGUF_TYPE.INT32)
      w.u64(v.value.length)
      for (const n of v.value) w.i32(n)
      return
    case 'f32[]':
      w.u32(GGUF_TYPE.ARRAY)
      w.u32(GGUF_TYPE.FLOAT32)
      w.u64(v.value.length)
      for (const n of v.value) w.f32(n)
      return
  }
}

/** IEEE 754 binary16 from a float (round to nearest even; enough precision for random test weights). */
export function toHalf(value: number): number {
  const f32 = new Float32Array(1)
  const u32 = new Uint32Array(f32.buffer)
  f32[0] = value
  const x = u32[0]!
  const sign = (x >>> 16) & 0x8000
  const exp = (x >>> 23) & 0xff
  let mant = x & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0)
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    mant |= 0x800000
    const shift = 14 - e
    let half = mant >>> shift
    const rem = mant & ((1 << shift) - 1)
    const mid = 1 << (shift - 1)
    if (rem > mid || (rem === mid && half & 1)) half++
    return sign | half
  }
  let half = (e << 10) | (mant >>> 13)
  const rem = mant & 0x1fff
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++
  return sign | half
}

function tensorBytes(t: GgufTensor): Buffer {
  if (t.type === 'F32') return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  const out = Buffer.alloc(t.data.length * 2)
  for (let i = 0; i < t.data.length; i++) out.writeUInt16LE(toHalf(t.data[i]!), i * 2)
  return out
}

/** Serialise a complete GGUF v3 file. `general.alignment` is written from `alignment`. */
export function writeGguf(
  metadata: Array<[string, GgufValue]>,
  tensors: GgufTensor[],
  alignment = 32
): Buffer {
  for (const t of tensors) {
    const n = t.dims.reduce((a, b) => a * b, 1)
    if (n !== t.data.length) throw new Error(`tensor ${t.name}: ${t.data.length} values for dims ${t.dims}`)
  }
  const kv: Array<[string, GgufValue]> = [
    ...metadata.filter(([k]) => k !== 'general.alignment'),
    ['general.alignment', { type: 'u32', value: alignment }]
  ]
  const w = new ByteWriter()
  w.bytes(Buffer.from('GGUF', 'ascii'))
  w.u32(3)
  w.u64(tensors.length)
  w.u64(kv.length)
  for (const [key, value] of kv) {
    w.string(key)
    writeValue(w, value)
  }
  const datas = tensors.map(tensorBytes)
  let offset = 0
  tensors.forEach((t, i) => {
    w.string(t.name)
    w.u32(t.dims.length)
    for (const d of t.dims) w.u64(d)
    w.u32(GGML_TYPE[t.type])
    w.u64(offset)
    offset += datas[i]!.length
    offset = Math.ceil(offset / alignment) * alignment
  })
  w.padTo(alignment)
  for (const d of datas) {
    w.bytes(d)
    w.padTo(alignment)
  }
  return w.result()
}
