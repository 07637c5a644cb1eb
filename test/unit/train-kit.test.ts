// Pieces of the training loop that need no Python: the safetensors writer, the tiny model's Hugging Face
// folder (same weights as its GGUF, q/k rows un-permuted the way llama.cpp's converter permutes them), and
// the patient-level split.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readSafetensorsHeader, writeSafetensors } from '../../src/node/engines/llm/testing/safetensors-writer'
import { unpermuteRows, writeTinyHf } from '../../src/node/engines/llm/testing/tinyHf'
import { buildTinyModelParts } from '../../src/node/engines/llm/testing/tinyModel'
import { isValidationKey, splitKey } from '../../src/node/training/prepare'
import { tempDir } from '../support/workspace'

const dir = tempDir('radlabel-train-kit-')
afterAll(() => dir.cleanup())

/** convert_hf_to_gguf.py's permute(), written out: HF rows -> GGUF rows. */
function permute(hf: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const headDim = rows / heads
  const out = new Float32Array(hf.length)
  for (let h = 0; h < heads; h++)
    for (let j = 0; j < 2; j++)
      for (let i = 0; i < headDim / 2; i++) {
        const src = h * headDim + j * (headDim / 2) + i
        const dst = h * headDim + i * 2 + j
        out.set(hf.subarray(src * cols, (src + 1) * cols), dst * cols)
      }
  return out
}

describe('safetensors writer', () => {
  it('writes an 8-aligned header with offsets and little-endian data', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6])
    const b = new Float32Array([7])
    const bytes = writeSafetensors([
      { name: 'a', shape: [2, 3], data: a },
      { name: 'b', shape: [1], data: b }
    ])
    const n = Number(bytes.readBigUInt64LE(0))
    expect((8 + n) % 8).toBe(0)
    const header = readSafetensorsHeader(bytes)
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] })
    expect(header.b!.data_offsets).toEqual([24, 28])
    expect(bytes.readFloatLE(8 + n + 24)).toBe(7)
    expect(bytes.length).toBe(8 + n + 28)
  })
  it('refuses a shape that does not match the data', () => {
    expect(() => writeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/shape 2x2/)
  })
})

describe('tiny model as a Hugging Face folder', () => {
  it('un-permutes q/k rows exactly as convert_hf_to_gguf permutes them', () => {
    const rows = 16
    const cols = 3
    const gguf = Float32Array.from({ length: rows * cols }, (_, i) => i)
    expect(Array.from(permute(unpermuteRows(gguf, rows, cols, 2), rows, cols, 2))).toEqual(Array.from(gguf))
    expect(Array.from(unpermuteRows(gguf, rows, cols, 2))).not.toEqual(Array.from(gguf))
  })

  it('holds the GGUF weights (F16-rounded) under Llama names, with a tokenizer of the same vocabulary', () => {
    const out = join(dir.dir, 'hf')
    writeTinyHf(out, { seed: 9, tensorType: 'F32' })
    const parts = buildTinyModelParts({ seed: 9, tensorType: 'F32' })
    const bytes = readFileSync(join(out, 'model.safetensors'))
    const header = readSafetensorsHeader(bytes)
    const start = 8 + Number(bytes.readBigUInt64LE(0))
    const values = (name: string): Float32Array => {
      const [a, b] = header[name]!.data_offsets
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset + start + a, bytes.byteOffset + start + b))
    }
    const gguf = new Map(parts.tensors.map((t) => [t.name, t.data]))
    expect(Object.keys(header)).toHaveLength(parts.tensors.length)
    expect(header['model.layers.0.self_attn.v_proj.weight']!.shape).toEqual([64, 64])
    expect(Array.from(values('model.layers.1.mlp.down_proj.weight'))).toEqual(Array.from(gguf.get('blk.1.ffn_down.weight')!))
    expect(Array.from(permute(values('model.layers.0.self_attn.q_proj.weight'), 64, 64, 2))).toEqual(Array.from(gguf.get('blk.0.attn_q.weight')!))
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))
    expect(config).toMatchObject({ model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, vocab_size: parts.shape.vocab })
    const tok = JSON.parse(readFileSync(join(out, 'tokenizer.json'), 'utf8'))
    expect(Object.keys(tok.model.vocab).length + tok.added_tokens.length).toBe(parts.shape.vocab)
    expect(tok.model.merges).toEqual(parts.merges)
    const tc = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'))
    expect(tc.chat_template).toContain('<|start_header_id|>')
  })
})

describe('patient-level split', () => {
  it('keys by patient when there is one, else by report', () => {
    expect(splitKey('P1', 'A1')).toBe('patient:P1')
    expect(splitKey(null, 'A1')).toBe('report:A1')
    expect(splitKey('  ', 'A1')).toBe('report:A1')
  })
  it('sends every study of a patient to the same side, and is deterministic', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => splitKey(`P${i % 200}`, `A${i}`))
    const side = new Map<string, boolean>()
    for (const k of keys) {
      const v = isValidationKey(k, 0.2, 'salt')
      if (side.has(k)) expect(side.get(k)).toBe(v)
      side.set(k, v)
    }
    const share = [...side.values()].filter(Boolean).length / side.size
    expect(share).toBeGreaterThan(0.1)
    expect(share).toBeLessThan(0.3)
    expect(isValidationKey('patient:P1', 0.2, 'other')).toBe(isValidationKey('patient:P1', 0.2, 'other'))
  })
})
