// The llm engine end to end on a generated tiny model (CPU, one thread): host process, parallel
// sequences, crash isolation, cancel, and bad model files.
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LABEL_STATES, type LabelSetDefinition } from '../../src/common/types'
import { forkHost, type HostChannel } from '../../src/node/engines/llm/client'
import { llmEngine, setHostSpawner } from '../../src/node/engines/llm/engine'
import { writeTinyLora, writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { sha256File } from '../../src/node/models/sha256'
import type { EngineReport, EngineResult } from '../../src/node/engines/types'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-llm-'))
const modelPath = join(dir, 'tiny.gguf')
const labelSet: LabelSetDefinition & { version: number } = {
  slug: 'mini',
  name: 'Mini',
  version: 3,
  labels: [{ name: 'Cardiomegaly' }, { name: 'Pleural Effusion' }, { name: 'Pneumothorax' }]
}
// Synthetic reports written for these tests.
const reports: EngineReport[] = [
  'FINDINGS: Heart size is normal. No pleural effusion.',
  'IMPRESSION: Mild cardiomegaly. Small right effusion.',
  'The lungs are clear. No pneumothorax.',
  'Stable chest. No acute process.'
].map((text, i) => ({ id: i + 1, text, sections: [] }))

const base = { model: modelPath, gpu: 'cpu', threads: 1, contextSize: 2048, maxTokens: 120, maxFindings: 2, maxQuoteChars: 24 }

function checkResults(results: EngineResult[]): void {
  expect(results.map((r) => r.reportId)).toEqual(reports.map((r) => r.id))
  for (const r of results) {
    if (!r.ok) {
      expect(r.error.length).toBeGreaterThan(10)
      continue
    }
    expect(r.decisions.map((d) => d.label).sort()).toEqual(['Cardiomegaly', 'Pleural Effusion', 'Pneumothorax'])
    for (const d of r.decisions) expect(LABEL_STATES).toContain(d.state)
    expect(() => JSON.parse(r.raw!)).not.toThrow()
    expect(r.promptTokens).toBeGreaterThan(50)
    expect(r.completionTokens).toBeGreaterThan(5)
  }
}

let reference: EngineResult[] = []

beforeAll(() => {
  writeTinyModel(modelPath, { seed: 11 })
})
afterAll(() => {
  setHostSpawner(forkHost)
  rmSync(dir, { recursive: true, force: true })
})

describe('llm engine on the tiny model', () => {
  it('labels reports in the host process with full provenance, and cancels', async () => {
    const statuses: string[] = []
    const session = await llmEngine.open({ ...base }, labelSet, (s) => statuses.push(s))
    try {
      reference = await session.label(reports, new AbortController().signal)
      checkResults(reference)
      expect(reference.filter((r) => r.ok).length).toBeGreaterThan(0)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- provenance is free-form JSON
      const p = session.provenance as Record<string, any>
      expect(p.model.sha256).toBe(await sha256File(modelPath))
      expect(p.promptTemplate).toEqual({ name: 'radlabel-default', version: 1, custom: false })
      expect(p.labelSet).toEqual({ slug: 'mini', version: 3 })
      expect(p.decoding).toMatchObject({ sampling: 'greedy', maxTokens: 120 })
      expect(p.runtime).toMatchObject({ isolation: 'process', gpu: false, threads: 1, sequences: 1 })
      expect(p.runtime.sharedPrefixTokens).toBeGreaterThan(100)
      expect(p.versions.nodeLlamaCpp).toBe('3.21.1')
      expect(statuses.some((s) => s.startsWith('Loading'))).toBe(true)

      // Cancel stops the host mid-batch; the session stays usable afterwards.
      const controller = new AbortController()
      const many = Array.from({ length: 40 }, (_, i) => ({ ...reports[i % reports.length]!, id: 200 + i }))
      const pending = session.label(many, controller.signal)
      setTimeout(() => controller.abort('cancel'), 200)
      await expect(pending).rejects.toThrow(/cancelled/)
      expect(await session.label(reports.slice(1, 2), new AbortController().signal)).toEqual(reference.slice(1, 2))
    } finally {
      await session.close()
    }
  })

  it('gives the same answers in-process and with parallel sequences', async () => {
    for (const sequences of [1, 3]) {
      const session = await llmEngine.open({ ...base, isolation: 'in-process', sequences }, labelSet)
      try {
        const results = await session.label(reports, new AbortController().signal)
        expect(results).toEqual(reference)
      } finally {
        await session.close()
      }
    }
  })

  it('applies a LoRA adapter with its scale (scale 0 = the base model) and records it', async () => {
    const lora = join(dir, 'tiny-lora.gguf')
    writeTinyLora(lora, { seed: 3 })
    const answers = async (extra: Record<string, unknown>): Promise<{ raws: string[]; adapters: unknown }> => {
      const session = await llmEngine.open({ ...base, isolation: 'in-process', ...extra }, labelSet)
      try {
        const results = await session.label(reports.slice(0, 2), new AbortController().signal)
        return { raws: results.map((r) => r.raw ?? ''), adapters: session.provenance.adapters }
      } finally {
        await session.close()
      }
    }
    const plain = await answers({})
    const off = await answers({ lora, loraScale: 0 })
    expect(off.raws).toEqual(plain.raws)
    const on = await answers({ lora, loraScale: 1 })
    expect(on.raws).not.toEqual(off.raws)
    expect(on.adapters).toEqual([{ path: lora, scale: 1, sha256: await sha256File(lora), name: 'radlabel-tiny-lora-r4' }])
    await expect(llmEngine.open({ ...base, model: lora }, labelSet)).rejects.toThrow(/is a LoRA adapter, not a base model/)
  })

  it('reports why an asked-for GPU backend was not used', async () => {
    const session = await llmEngine.open({ ...base, gpu: 'cuda', gpuLayers: 0, isolation: 'in-process' }, labelSet)
    try {
      const runtime = session.provenance.runtime as { gpu: string | false; gpuNote?: string }
      if (runtime.gpu === 'cuda') return // a machine with CUDA: nothing fell back
      expect(runtime.gpuNote).toMatch(/^cuda is not (usable here|available on this platform)/)
    } finally {
      await session.close()
    }
  })

  it('answers both tasks schema-valid or with a per-report error', async () => {
    const session = await llmEngine.open({ ...base, isolation: 'in-process', task: 'both', maxTokens: 200 }, labelSet)
    try {
      const results = await session.label(reports.slice(0, 2), new AbortController().signal)
      expect(results).toHaveLength(2)
      for (const r of results) {
        if (r.ok) {
          expect(Array.isArray(r.findings)).toBe(true)
          const raw = JSON.parse(r.raw!)
          expect(Object.keys(raw)).toEqual(['findings', 'labels', 'evidence'])
        } else expect(r.error).toMatch(/token limit|JSON/)
      }
    } finally {
      await session.close()
    }
  })

  it('fails the batch with a clear error when the host process dies, and the caller keeps working', async () => {
    let channel: HostChannel | undefined
    setHostSpawner(() => (channel = forkHost()))
    const session = await llmEngine.open({ ...base, maxTokens: 400 }, labelSet)
    const many = Array.from({ length: 40 }, (_, i) => ({ ...reports[i % reports.length]!, id: 100 + i }))
    const pending = session.label(many, new AbortController().signal)
    await new Promise((r) => setTimeout(r, 300))
    expect(channel!.pid).not.toBe(process.pid)
    channel!.kill()
    await expect(pending).rejects.toThrow(/LLM engine process was killed \(SIGKILL\) while labelling reports 100–139/)
    await session.close()
    setHostSpawner(forkHost)
    const again = await llmEngine.open({ ...base, isolation: 'in-process' }, labelSet)
    try {
      expect(await again.label(reports.slice(0, 1), new AbortController().signal)).toEqual(reference.slice(0, 1))
    } finally {
      await again.close()
    }
  })

})

describe('llm engine refuses bad model files before loading', () => {
  it('gives clear errors for missing, non-GGUF, truncated and corrupted files', async () => {
    const open = (model: string) => llmEngine.open({ ...base, model }, labelSet)
    await expect(open(join(dir, 'missing.gguf'))).rejects.toThrow(/does not exist/)
    const text = join(dir, 'notes.gguf')
    writeFileSync(text, 'these are not model weights\n')
    await expect(open(text)).rejects.toThrow(/not a GGUF model file/)
    const cut = join(dir, 'cut.gguf')
    copyFileSync(modelPath, cut)
    truncateSync(cut, 200_000)
    await expect(open(cut)).rejects.toThrow(/truncated/)
    const bad = join(dir, 'bad.gguf')
    copyFileSync(modelPath, bad)
    const fd = openSync(bad, 'r+')
    writeSync(fd, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), 0, 8, 16) // KV count
    closeSync(fd)
    await expect(open(bad)).rejects.toThrow(/truncated or damaged|cannot read/)
    await expect(llmEngine.open({ ...base, lora: modelPath }, labelSet)).rejects.toThrow(/is a full model, not a LoRA adapter/)
    await expect(llmEngine.open({ ...base, promptTemplate: 'nope' }, labelSet)).rejects.toThrow(/no prompt template "nope"/)
  })
})

describe('llm runtime state machine', () => {
  it('goes idle -> loading -> ready -> busy -> ready, re-uses an identical load and fails loads clearly', async () => {
    const { LlmRuntime } = await import('../../src/node/engines/llm/runtime')
    const { DEFAULT_TEMPLATE } = await import('../../src/node/engines/llm/prompts')
    const states: string[] = []
    const runtime = new LlmRuntime((s) => states.push(s))
    const spec = {
      modelPath,
      adapters: [],
      gpu: 'cpu' as const,
      gpuLayers: 'auto' as const,
      threads: 1,
      contextSize: 1024,
      sequences: 1,
      task: 'classify' as const,
      labelSet,
      template: DEFAULT_TEMPLATE,
      limits: { maxFindings: 2, maxPhraseChars: 20, maxQuoteChars: 24 },
      maxTokens: 120,
      reusePrefix: true
    }
    try {
      expect(runtime.state).toBe('idle')
      await expect(runtime.label([{ id: 1, text: 'x' }])).rejects.toThrow(/not ready \(state: idle\)/)
      const info = await runtime.load(spec)
      expect(await runtime.load({ ...spec })).toBe(info)
      await runtime.label([{ id: 1, text: reports[0]!.text }])
      expect(states).toEqual(['loading', 'ready', 'busy', 'ready'])
      await expect(runtime.load({ ...spec, modelPath: join(dir, 'missing.gguf') })).rejects.toThrow()
      expect(runtime.state).toBe('failed')
      await expect(runtime.label([{ id: 1, text: 'x' }])).rejects.toThrow(/not ready \(state: failed/)
    } finally {
      await runtime.dispose()
    }
    expect(runtime.state).toBe('idle')
  })
})
