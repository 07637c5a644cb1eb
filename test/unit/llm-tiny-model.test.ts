// The generated test model: a valid GGUF that node-llama-cpp reads, tokenises and generates with.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildTinyModel, byteToUnicode, writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { toHalf } from '../../src/node/engines/llm/testing/gguf-writer'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-tiny-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tiny model generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = buildTinyModel({ seed: 7 }).data
    const b = buildTinyModel({ seed: 7 }).data
    const c = buildTinyModel({ seed: 8 }).data
    expect(a.equals(b)).toBe(true)
    expect(a.equals(c)).toBe(false)
    expect(a.subarray(0, 4).toString('ascii')).toBe('GGUF')
    expect(a.readUInt32LE(4)).toBe(3)
  })

  it('maps all 256 bytes to distinct characters', () => {
    expect(new Set(byteToUnicode()).size).toBe(256)
  })

  it('encodes half floats', () => {
    expect(toHalf(1)).toBe(0x3c00)
    expect(toHalf(-2)).toBe(0xc000)
    expect(toHalf(0)).toBe(0)
    expect(toHalf(65504)).toBe(0x7bff)
    expect(toHalf(1e9)).toBe(0x7c00)
  })

  it('loads in node-llama-cpp, round-trips text and generates schema-valid JSON', async () => {
    const path = join(dir, 'tiny.gguf')
    const info = writeTinyModel(path)
    const { getLlama, LlamaCompletion, LlamaLogLevel, readGgufFileInfo, resolveChatWrapper } = await import('node-llama-cpp')
    const header = await readGgufFileInfo(path)
    expect(header.metadata.general.architecture).toBe('llama')
    expect(header.metadata.llama?.embedding_length).toBe(info.dim)

    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error })
    const model = await llama.loadModel({ modelPath: path })
    try {
      const text = 'IMPRESSION: No acute cardiopulmonary process. Émphysème ✓'
      expect(model.detokenize(model.tokenize(text))).toBe(text)
      expect(resolveChatWrapper(model).wrapperName).toBe('Llama 3')
      const context = await model.createContext({ contextSize: 512, threads: 1 })
      const grammar = await llama.createGrammarForJsonSchema({
        type: 'object',
        properties: {
          state: { enum: ['positive', 'negative'] },
          phrases: { type: 'array', items: { type: 'string', maxLength: 12 }, maxItems: 2 }
        }
      } as const)
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() })
      const out = await completion.generateCompletion('Report: heart enlarged.', { grammar, maxTokens: 120 })
      const parsed = grammar.parse(out)
      expect(['positive', 'negative']).toContain(parsed.state)
      await context.dispose()
    } finally {
      await model.dispose()
    }
  }, 60_000)
})
