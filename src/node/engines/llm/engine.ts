// The `llm` engine: validates settings and files, hashes the model, starts the engine host (its own
// process by default) and labels batches through it. Provenance records exactly what produced labels.
import { resolve } from 'node:path'
import { AppError } from '../../../common/errors'
import { inspectGguf, type GgufHeaderInfo } from '../../models/inspect'
import { sha256File } from '../../models/sha256'
import type { Engine, EngineReport, EngineResult, EngineSession, VersionedLabelSet } from '../types'
import { HostClient, forkHost, type HostSpawner } from './client'
import { adaptersOf, llmConfigSchema } from './config'
import { askedLabels } from './prompts'
import { resolveTemplate, templateProvenance } from './template-choice'

export { resolveTemplate } from './template-choice'
// runtime.ts loads node-llama-cpp (seconds): only the in-process backend needs it, so it is imported lazily.
import type { LabelItem, LlmRuntime, LoadInfo, LoadSpec, RuntimeStats } from './runtime'

/** What a session talks to: the host process, or the runtime itself when isolation is 'in-process'. */
interface Backend {
  load(spec: LoadSpec): Promise<LoadInfo>
  label(batch: LabelItem[], signal?: AbortSignal): Promise<EngineResult[]>
  stats(): Promise<RuntimeStats>
  close(): Promise<void>
  /** The engine host's process id (undefined in-process). */
  pid?: number
}

function inProcessBackend(onStatus: (s: string) => void): Backend {
  let runtime: LlmRuntime | undefined
  const started = async (): Promise<LlmRuntime> => (runtime ??= new (await import('./runtime')).LlmRuntime())
  return {
    load: async (spec) => (await started()).load(spec, onStatus),
    label: async (batch, signal) => (await started()).label(batch, signal),
    stats: async () => ({ ...(await started()).stats }),
    close: async () => runtime?.dispose()
  }
}

function processBackend(spawn: HostSpawner, onStatus: (s: string) => void): Backend {
  const client = new HostClient(spawn, onStatus)
  return {
    pid: client.pid,
    load: (spec) => client.load(spec),
    label: (batch, signal) => client.label(batch, signal),
    stats: () => client.stats(),
    close: () => client.close()
  }
}

/** Where the Electron main process plugs in its utilityProcess spawner; the CLI and tests fork. */
let hostSpawner: HostSpawner = forkHost
export function setHostSpawner(spawn: HostSpawner): void {
  hostSpawner = spawn
}
export function getHostSpawner(): HostSpawner {
  return hostSpawner
}

async function checkFile(path: string, what: string, expect: 'base' | 'lora'): Promise<GgufHeaderInfo> {
  const info = await inspectGguf(path).catch((err: unknown) => {
    const e = AppError.from(err)
    throw new AppError(e.code, `${what}: ${e.message}`, e.hint)
  })
  if (info.kind !== expect) {
    throw new AppError(
      'invalid_input',
      expect === 'lora'
        ? `${what}: ${info.fileName} is a full model, not a LoRA adapter.`
        : `${what}: ${info.fileName} is a LoRA adapter, not a base model.`,
      expect === 'lora' ? 'Pass the adapter .gguf with --lora and the base model with --model.' : 'Pass the base model with --model and the adapter with --lora.'
    )
  }
  if (!info.supportedByLlamaCpp) {
    throw new AppError(
      'unsupported',
      `${what}: the architecture "${info.architecture}" of ${info.fileName} is not supported by this llama.cpp build.`,
      'Use a model of an architecture llama.cpp supports (e.g. llama, mistral, qwen2, gemma).'
    )
  }
  return info
}

export const llmEngine: Engine = {
  name: 'llm',
  configSchema: llmConfigSchema,
  batchSize(config: unknown): number {
    const parsed = llmConfigSchema.safeParse(config)
    const sequences = parsed.success ? parsed.data.sequences : 1
    // Small chunks: each chunk is committed as it completes, so a crash loses little.
    return Math.max(4, sequences * 2)
  },
  async open(rawConfig: unknown, labelSet: VersionedLabelSet, onStatus = () => {}): Promise<EngineSession> {
    const parsed = llmConfigSchema.parse(rawConfig)
    // Absolute paths: provenance must say exactly which file, whatever the working directory was.
    const config = {
      ...parsed,
      model: resolve(parsed.model),
      ...(parsed.lora ? { lora: resolve(parsed.lora) } : {}),
      adapters: parsed.adapters.map((a) => ({ ...a, path: resolve(a.path) }))
    }
    const template = resolveTemplate(config)
    if (askedLabels(labelSet).length === 0) {
      throw new AppError('invalid_input', `The label set ${labelSet.slug} has no labels the model could be asked about.`)
    }
    const model = await checkFile(config.model, 'Model', 'base')
    const adapters = adaptersOf(config)
    const adapterInfo = await Promise.all(adapters.map((a) => checkFile(a.path, 'LoRA adapter', 'lora')))
    const hash = async (path: string): Promise<string> =>
      sha256File(path, {
        onProgress: (p) => onStatus(`Computing sha256 of ${path}: ${Math.floor((p.bytesDone / Math.max(1, p.bytesTotal)) * 100)}%`)
      })
    const modelSha = await hash(config.model)
    const adapterShas = await Promise.all(adapters.map((a) => hash(a.path)))

    const backend = config.isolation === 'in-process' ? inProcessBackend(onStatus) : processBackend(hostSpawner, onStatus)
    let info: LoadInfo
    try {
      onStatus(`Loading ${model.fileName}`)
      info = await backend.load({
        modelPath: config.model,
        adapters,
        gpu: config.gpu,
        gpuLayers: config.gpuLayers,
        threads: config.threads,
        contextSize: config.contextSize,
        batchSize: config.batchSize,
        sequences: config.sequences,
        task: config.task,
        labelSet,
        template,
        limits: { maxFindings: config.maxFindings, maxPhraseChars: 80, maxQuoteChars: config.maxQuoteChars },
        maxTokens: config.maxTokens,
        reusePrefix: config.reusePrefix
      })
    } catch (err) {
      await backend.close().catch(() => {})
      const e = AppError.from(err)
      throw new AppError('engine_failed', `Could not load ${model.fileName}: ${e.message}`, e.hint ?? 'Try fewer GPU layers, a smaller context size or fewer parallel sequences.')
    }
    if (info.gpuNote) onStatus(`GPU: ${info.gpuNote}`)

    const provenance: Record<string, unknown> = {
      model: {
        path: config.model,
        fileName: model.fileName,
        sha256: modelSha,
        sizeBytes: model.sizeBytes,
        architecture: model.architecture,
        name: model.name,
        parameters: model.parameters,
        quantisation: model.quantisation
      },
      adapters: adapters.map((a, i) => ({ path: a.path, scale: a.scale, sha256: adapterShas[i], name: adapterInfo[i]!.name })),
      promptTemplate: templateProvenance(template),
      labelSet: { slug: labelSet.slug, version: labelSet.version },
      task: config.task,
      decoding: {
        sampling: 'greedy',
        temperature: 0,
        maxTokens: config.maxTokens,
        grammar: 'json-schema',
        maxFindings: config.maxFindings,
        maxQuoteChars: config.maxQuoteChars
      },
      runtime: {
        isolation: config.isolation,
        gpu: info.gpu,
        gpuNote: info.gpuNote || undefined,
        gpuLayers: info.gpuLayers,
        threads: info.threads,
        contextSizePerSequence: info.contextSize,
        batchSize: info.batchSize,
        sequences: info.sequences,
        chatWrapper: info.chatWrapper,
        sharedPrefixTokens: info.prefixTokens
      },
      versions: { nodeLlamaCpp: info.nodeLlamaCpp, llamaCpp: info.llamaCpp }
    }

    let closed = false
    let labelMs = 0
    const session: LlmSession = {
      provenance,
      hostPid: backend.pid,
      stats: () => backend.stats(),
      async label(batch: EngineReport[], signal: AbortSignal): Promise<EngineResult[]> {
        if (closed) throw new AppError('engine_failed', 'The LLM engine session is closed.')
        const started = Date.now()
        const results = await backend.label(
          batch.map((r) => ({ id: r.id, text: r.text })),
          signal
        )
        // Generation speed over this session, for the job's progress line.
        labelMs += Date.now() - started
        const stats = await backend.stats().catch(() => null)
        if (stats && labelMs > 0) {
          const tps = stats.completionTokens / (labelMs / 1000)
          onStatus(`${tps.toFixed(1)} tokens/s · ${Math.round(stats.promptTokens / Math.max(1, stats.reports))} prompt tokens per report`)
        }
        return results
      },
      async close(): Promise<void> {
        if (closed) return
        closed = true
        await backend.close()
      }
    }
    return session
  }
}

/** The llm engine's session also reports token counters (for progress and benchmarks). */
export interface LlmSession extends EngineSession {
  stats(): Promise<RuntimeStats>
  /** Process id of the engine host; undefined when the engine runs in-process. */
  hostPid?: number
}

